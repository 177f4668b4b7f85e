package io.qair.desktop.tunnel;

import io.qair.desktop.auth.Session;
import io.qair.desktop.auth.Session.Clipboard;
import io.qair.desktop.master.MasterClient;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secure clipboard on one qube's tunnel. {@code qair-copy} from the page asks this qube for
 * its clipboard ({@code qair-clipboard-get}) and keeps the answer as the session's global
 * clipboard; the page learns only how many characters came from which qube. {@code qair-paste}
 * takes the global clipboard and asks the master's policy ({@code qubes.ClipboardPaste}, source
 * the qube it came from, target this qube): allow pastes it here ({@code qair-clipboard-set}) and
 * leaves the global clipboard empty; deny puts it back; ask puts the question to the page, whose
 * {@code qair-paste-confirm} decides. Text never goes to the page.
 */
final class TunnelClipboard {
  static final String SERVICE = "qubes.ClipboardPaste";
  static final long CONFIRM_TIMEOUT_MS = 60_000;
  private static final Logger LOG = LoggerFactory.getLogger(TunnelClipboard.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final String qube;
  private final Session session;
  private final MasterClient master;
  private final Consumer<String> toPage;
  private final Consumer<String> toAgent;
  private long pendingGet = -1;
  private Pending pendingPaste;

  private record Pending(String token, Clipboard clipboard, long timer) {}

  TunnelClipboard(Vertx vertx, String qube, Session session, MasterClient master, Consumer<String> toPage,
      Consumer<String> toAgent) {
    this.vertx = vertx;
    this.qube = qube;
    this.session = session;
    this.master = master;
    this.toPage = toPage;
    this.toAgent = toAgent;
  }

  /** The page pressed Ctrl+Shift+C on this qube. */
  void copy() {
    if (pendingGet >= 0) {
      return;
    }
    pendingGet = vertx.setTimer(TunnelLimits.CLIPBOARD_TIMEOUT_MS, t -> {
      pendingGet = -1;
      notice("error", "Copy failed: " + qube + " did not answer");
    });
    toAgent.accept(GuacamoleCodec.encode("qair-clipboard-get"));
  }

  /** The agent's {@code qair-clipboard}; ignored unless this gateway asked. */
  void answer(List<String> untrustedParts) {
    if (pendingGet < 0) {
      return;
    }
    vertx.cancelTimer(pendingGet);
    pendingGet = -1;
    String text = join(untrustedParts);
    if (text == null) {
      notice("error", "Copy failed: the clipboard of " + qube + " is larger than "
          + TunnelLimits.CLIPBOARD_BYTES / 1024 + " KiB");
      return;
    }
    Clipboard c = new Clipboard(qube, text);
    session.copy(c);
    toPage.accept(GuacamoleCodec.encode("qair-copied", qube, Integer.toString(c.codePoints())));
  }

  /** The page pressed Ctrl+Shift+V on this qube. */
  void paste() {
    Optional<Clipboard> taken = session.take();
    if (taken.isEmpty()) {
      notice("info", "The global clipboard is empty: copy with Ctrl+Shift+C first");
      return;
    }
    Clipboard c = taken.get();
    master.evalPolicy(SERVICE, c.sourceQube(), qube).onComplete(ar -> {
      if (ar.failed()) {
        session.restore(c);
        LOG.warn("clipboard paste into {}: the policy could not be asked: {}", qube, ar.cause().getMessage());
        notice("error", "Paste failed: " + ar.cause().getMessage());
        return;
      }
      String action = ar.result().getString("action", "deny");
      switch (action) {
        case "allow" -> set(c);
        case "ask" -> ask(c);
        default -> {
          session.restore(c);
          toPage.accept(GuacamoleCodec.encode("qair-paste-denied", c.sourceQube(), qube));
        }
      }
    });
  }

  /** The page's answer to {@code qair-paste-ask}. */
  void confirm(String untrustedToken, boolean yes) {
    Pending p = pendingPaste;
    if (p == null || !p.token().equals(untrustedToken)) {
      return;
    }
    pendingPaste = null;
    vertx.cancelTimer(p.timer());
    if (yes) {
      set(p.clipboard());
    } else {
      session.restore(p.clipboard());
      notice("info", "Paste cancelled");
    }
  }

  void close() {
    if (pendingGet >= 0) {
      vertx.cancelTimer(pendingGet);
    }
    Pending p = pendingPaste;
    if (p != null) {
      vertx.cancelTimer(p.timer());
      session.restore(p.clipboard());
      pendingPaste = null;
    }
  }

  private void ask(Clipboard c) {
    Pending old = pendingPaste;
    if (old != null) {
      vertx.cancelTimer(old.timer());
      session.restore(old.clipboard());
    }
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    String token = HexFormat.of().formatHex(b);
    long timer = vertx.setTimer(CONFIRM_TIMEOUT_MS, t -> confirm(token, false));
    pendingPaste = new Pending(token, c, timer);
    toPage.accept(GuacamoleCodec.encode("qair-paste-ask", token, c.sourceQube(), qube,
        Integer.toString(c.codePoints())));
  }

  private void set(Clipboard c) {
    List<String> parts = split(c.text());
    toAgent.accept(GuacamoleCodec.encode(new org.apache.guacamole.protocol.GuacamoleInstruction(
        "qair-clipboard-set", parts)));
    toPage.accept(GuacamoleCodec.encode("qair-pasted", c.sourceQube(), qube, Integer.toString(c.codePoints())));
  }

  private void notice(String level, String text) {
    toPage.accept(GuacamoleCodec.encode("qair-notice", level, text));
  }

  /** The text of a {@code qair-clipboard} (its elements concatenated), or null when too large. */
  static String join(List<String> untrustedParts) {
    StringBuilder sb = new StringBuilder();
    long bytes = 0;
    for (String p : untrustedParts) {
      bytes += p.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > TunnelLimits.CLIPBOARD_BYTES) {
        return null;
      }
      sb.append(p);
    }
    return sb.toString();
  }

  /** The text cut into elements of at most {@link TunnelLimits#CLIPBOARD_ELEMENT} code points (one, maybe empty, at least). */
  static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int end = text.length();
      int cps = text.codePointCount(i, end);
      if (cps > TunnelLimits.CLIPBOARD_ELEMENT) {
        end = text.offsetByCodePoints(i, TunnelLimits.CLIPBOARD_ELEMENT);
      }
      parts.add(text.substring(i, end));
      i = end;
    }
    if (parts.isEmpty()) {
      parts.add("");
    }
    return parts;
  }
}
