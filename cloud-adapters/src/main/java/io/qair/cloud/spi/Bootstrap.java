package io.qair.cloud.spi;

/**
 * What a new zone host needs to enroll with its master; the adapter delivers it to the host
 * (local: files in the agent's data dir; cloud: user-data) and tags the host with {@code masterId}.
 *
 * @param token the single-use enrollment token (secret: never log it)
 * @param caCertPem the master CA certificate the agent will trust
 * @param caFingerprint SHA-256 of the CA certificate, pinned on the host
 * @param masterId identifies the master that owns the host (for {@link CloudAdapter#discover})
 */
public record Bootstrap(String token, String caCertPem, String caFingerprint, String masterId) {
  @Override
  public String toString() {
    return "Bootstrap[token=<redacted>, caFingerprint=" + caFingerprint + ", masterId=" + masterId + "]";
  }
}
