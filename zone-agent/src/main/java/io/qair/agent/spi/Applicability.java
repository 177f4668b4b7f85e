package io.qair.agent.spi;

/** Whether a backend can run on this host, and if not, why not (shown to the operator). */
public record Applicability(boolean applicable, String reason) {
  public static Applicability yes() {
    return new Applicability(true, "ok");
  }

  public static Applicability no(String reason) {
    return new Applicability(false, reason);
  }
}
