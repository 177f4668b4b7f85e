package io.qair.agent.display.x11;

import java.io.IOException;

/** The atoms the window manager uses: the predefined ones as constants, the others interned once. */
final class X11Atoms {
  static final int ATOM = 4;
  static final int STRING = 31;
  static final int WINDOW = 33;
  static final int WM_HINTS = 35;
  static final int WM_NAME = 39;
  static final int WM_TRANSIENT_FOR = 68;

  final int wmProtocols;
  final int wmDeleteWindow;
  final int wmTakeFocus;
  final int wmState;
  final int utf8String;
  final int netWmName;
  final int netSupported;
  final int netSupportingWmCheck;
  final int netActiveWindow;

  private X11Atoms(int[] a) {
    wmProtocols = a[0];
    wmDeleteWindow = a[1];
    wmTakeFocus = a[2];
    wmState = a[3];
    utf8String = a[4];
    netWmName = a[5];
    netSupported = a[6];
    netSupportingWmCheck = a[7];
    netActiveWindow = a[8];
  }

  /** Interns all names with one round trip's latency (the requests are pipelined). */
  static X11Atoms intern(X11Connection c) throws IOException {
    String[] names = {"WM_PROTOCOLS", "WM_DELETE_WINDOW", "WM_TAKE_FOCUS", "WM_STATE", "UTF8_STRING",
        "_NET_WM_NAME", "_NET_SUPPORTED", "_NET_SUPPORTING_WM_CHECK", "_NET_ACTIVE_WINDOW"};
    int[] seqs = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      seqs[i] = c.send(X11Requests.internAtom(names[i], false), true);
    }
    int[] atoms = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      var reply = c.awaitReply(seqs[i]);
      if (reply == null) {
        throw new X11ProtocolException("InternAtom(" + names[i] + ") failed");
      }
      atoms[i] = X11Replies.internAtom(reply);
    }
    return new X11Atoms(atoms);
  }

  /** The {@code _NET_SUPPORTED} list: what this manager implements. */
  int[] supported() {
    return new int[] {netSupported, netSupportingWmCheck, netWmName, netActiveWindow};
  }
}
