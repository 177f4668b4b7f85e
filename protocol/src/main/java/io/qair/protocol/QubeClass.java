package io.qair.protocol;

/** The kinds of qube, as in Qubes OS. */
public enum QubeClass {
  /** Holds a root filesystem that AppVMs use read-only; can be started writable to install software. */
  TemplateVM,
  /** A qube on a template: its root is the template's, read-only; only its private volume persists. */
  AppVM,
  /** A disposable: based on a template, everything is thrown away when it stops. */
  DispVM,
  /** A qube with its own root, copied once from a template. */
  StandaloneVM;

  public static QubeClass parse(String untrusted) {
    if (untrusted != null) {
      for (QubeClass c : values()) {
        if (c.name().equalsIgnoreCase(untrusted)) {
          return c;
        }
      }
    }
    throw QairException.badRequest(
        "unknown qube class '" + Names.printable(untrusted)
            + "': use one of AppVM, TemplateVM, DispVM, StandaloneVM");
  }
}
