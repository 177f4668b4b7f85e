package io.qair.controlplane.qrexec;

import io.qair.controlplane.policy.QubeInfo;
import io.qair.controlplane.policy.SystemInfo;
import io.qair.controlplane.qube.QubeDefaults;
import io.qair.controlplane.store.QubeRow;
import io.qair.controlplane.store.Store;
import io.qair.controlplane.store.Tx;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QubeState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The qubes of the master's store as the policy sees them, read in one transaction per decision
 * (nothing is cached). {@code default_dispvm} falls back to the master's default template, as
 * Qubes' global {@code default_dispvm}; a TemplateVM is a template for disposables (the master
 * makes disposables from TemplateVMs), and so is any qube whose {@code template_for_dispvms} is
 * true. A disposable's template is the qube it was made from.
 */
public final class StoreSystemInfo {
  private StoreSystemInfo() {}

  /** A snapshot of every qube, read now. Blocking (JDBC): call it off the event loop. */
  public static SystemInfo snapshot(Store store, QubeDefaults defaults) {
    return store.read(tx -> SystemInfo.of(qubes(tx, defaults)));
  }

  static List<QubeInfo> qubes(Tx tx, QubeDefaults defaults) {
    List<QubeInfo> out = new ArrayList<>();
    for (QubeRow q : tx.qubes()) {
      Map<String, String> props = tx.storedProperties(q.name());
      String dispvm = props.getOrDefault("default_dispvm", "");
      if (dispvm.isEmpty()) {
        dispvm = defaults.template();
      }
      boolean forDispvms = q.klass() == QubeClass.TemplateVM || "true".equals(props.get("template_for_dispvms"));
      boolean running = q.state() == QubeState.RUNNING;
      out.add(new QubeInfo(q.name(), q.klass(), new HashSet<>(tx.tags(q.name())), q.zone(), dispvm, forDispvms,
          q.template(), running));
    }
    return out;
  }
}
