package io.qair.controlplane.qube;

import io.qair.controlplane.store.QubeRow;
import io.qair.controlplane.store.Store;
import io.qair.controlplane.store.Tx;
import io.qair.protocol.Label;
import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QubeState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disposable qubes made for one call ({@code @dispvm}): a DispVM row named {@code dispNNNN} on a
 * template, marked with the feature {@value #MARK}, and destroyed (shut down, volumes removed,
 * row deleted) when the call ends. Whatever a crash left behind is destroyed by {@link #sweep}.
 */
public final class Disposables {
  /** The feature that marks a disposable this class made. */
  public static final String MARK = "qair.call-disposable";

  private static final Logger LOG = LoggerFactory.getLogger(Disposables.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Store store;
  private final ZoneRuntime runtime;
  private final QubeLifecycle lifecycle;
  private final TemplateCatalog catalog;
  private final QubeDefaults defaults;

  public Disposables(Vertx vertx, Store store, ZoneRuntime runtime, QubeLifecycle lifecycle,
      TemplateCatalog catalog, QubeDefaults defaults) {
    this.vertx = vertx;
    this.store = store;
    this.runtime = runtime;
    this.lifecycle = lifecycle;
    this.catalog = catalog;
    this.defaults = defaults;
  }

  /** Parses {@code @dispvm} or {@code @dispvm:TEMPLATE}; returns the template, or null if not a dispvm target. */
  public String templateOf(String untrustedTarget) {
    if (untrustedTarget.equals("@dispvm")) {
      return defaults.template();
    }
    if (untrustedTarget.startsWith("@dispvm:")) {
      return Names.requireQubeName(untrustedTarget.substring("@dispvm:".length()));
    }
    return null;
  }

  /** Records a new halted disposable on {@code template}, in the template's zone, with a display. */
  public Future<QubeRow> create(String template) {
    return create(template, true);
  }

  /**
   * Records a new halted disposable on {@code template}, in the template's zone; {@code gui}: it
   * gets a display (feature {@code gui=1}), so what it opens shows on the desktop.
   */
  public Future<QubeRow> create(String template, boolean gui) {
    return catalog.ensure(defaults.zone(), template).compose(v -> vertx.executeBlocking(() -> store.write(tx -> {
      QubeRow t = tx.qube(template).orElseThrow(() -> QairException.badRequest("unknown template '" + template
          + "': list templates with `qair template ls`"));
      QubeProperties.requireTemplate(tx, template, t.zone());
      QubeLifecycle.requireReady(tx.requireZone(t.zone()), "start a disposable");
      QubeRow q = tx.insertQube(new QubeRow(freeName(tx), QubeClass.DispVM, t.zone(), Label.RED, template, null,
          QubeDefaults.MEMORY_MIB, QubeDefaults.VCPUS, QubeState.HALTED, 0));
      tx.setFeature(q.name(), MARK, "1");
      if (gui) {
        tx.setFeature(q.name(), "gui", "1");
      }
      return q;
    }), false));
  }

  private static String freeName(Tx tx) {
    for (int i = 0; i < 1000; i++) {
      String name = String.format("disp%04d", RANDOM.nextInt(10_000));
      if (tx.qube(name).isEmpty()) {
        return name;
      }
    }
    throw QairException.conflict("no free disposable name: remove some disposables");
  }

  /** Shuts down, removes and forgets the disposable. Never fails; problems are logged. */
  public Future<Void> destroy(String name) {
    return vertx.executeBlocking(() -> store.qube(name), false).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      QubeRow q = found.get();
      Future<?> stopped = q.state() == QubeState.HALTED
          ? Future.succeededFuture()
          : lifecycle.shutdown(name, true).recover(e -> {
            LOG.warn("disposable {}: forced shutdown failed: {}", name, e.getMessage());
            return Future.succeededFuture();
          });
      return stopped
          .compose(v -> runtime.remove(q.zone(), name).recover(e -> {
            LOG.warn("disposable {}: removing its volumes in zone {} failed: {}", name, q.zone(), e.getMessage());
            return Future.succeededFuture();
          }))
          .compose(v -> vertx.executeBlocking(() -> store.write(tx -> {
            if (tx.qube(name).isPresent()) {
              tx.deleteQube(name);
            }
            return null;
          }), false));
    }).<Void>mapEmpty().recover(e -> {
      LOG.error("disposable {}: cleanup failed", name, e);
      return Future.succeededFuture();
    });
  }

  /** Destroys every disposable left behind by calls that did not end cleanly (a crash). */
  public Future<Void> sweep() {
    return vertx.executeBlocking(() -> store.read(tx -> {
      List<String> left = new ArrayList<>();
      for (QubeRow q : tx.qubes()) {
        if (q.klass() == QubeClass.DispVM && "1".equals(tx.features(q.name()).get(MARK))) {
          left.add(q.name());
        }
      }
      return left;
    }), false).compose(left -> {
      List<Future<Void>> all = new ArrayList<>();
      for (String name : left) {
        LOG.info("destroying disposable {} left behind", name);
        all.add(destroy(name));
      }
      return Future.join(all).mapEmpty();
    });
  }
}
