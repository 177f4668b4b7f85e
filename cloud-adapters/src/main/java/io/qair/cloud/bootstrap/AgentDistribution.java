package io.qair.cloud.bootstrap;

import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a zone host downloads the agent distribution (a tar.gz holding {@code qair-zone-agent*.jar}
 * and {@code lib/}) and the SHA-256 it must have. The URL should be short-lived (a presigned S3
 * or signed Cloud Storage URL); the host refuses the archive when the digest differs.
 */
public record AgentDistribution(URI url, String sha256) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public AgentDistribution {
    if (url == null || !("https".equals(url.getScheme()) || "http".equals(url.getScheme())) || url.getHost() == null) {
      throw QairException.badRequest("the agent distribution URL must be an https:// URL the zone host can"
          + " reach, e.g. a presigned S3 or signed Cloud Storage URL");
    }
    if (sha256 == null || !SHA256.matcher(sha256.toLowerCase(Locale.ROOT)).matches()) {
      throw QairException.badRequest("the agent distribution SHA-256 '" + Names.printable(sha256)
          + "' is not 64 hex digits: use the output of sha256sum on the tar.gz");
    }
    sha256 = sha256.toLowerCase(Locale.ROOT);
  }

  /** Parses untrusted text (options or settings). */
  public static AgentDistribution parse(String untrustedUrl, String untrustedSha256) {
    URI uri;
    try {
      uri = URI.create(untrustedUrl.strip());
    } catch (IllegalArgumentException e) {
      throw QairException.badRequest("the agent distribution URL '" + Names.printable(untrustedUrl)
          + "' is not a valid URL");
    }
    return new AgentDistribution(uri, untrustedSha256 == null ? null : untrustedSha256.strip());
  }

  @Override
  public String toString() {
    // the query of a presigned URL is a credential
    return "AgentDistribution[" + url.getScheme() + "://" + url.getHost() + url.getPath() + ", sha256=" + sha256 + "]";
  }
}
