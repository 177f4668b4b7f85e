package io.qair.cloud.bootstrap;

import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

  /** Where an adapter publishes the distribution for one zone host in an object store. */
  public static String objectKey(String zone, String master) {
    return "qair/agent/" + zone + "-" + IdempotencyKeys.shortHash(master) + "/qair-zone-agent.tar.gz";
  }

  /** The SHA-256 of a local distribution file; BAD_REQUEST saying what to do when it is missing. */
  public static String sha256(Path file) {
    if (!Files.isRegularFile(file)) {
      throw QairException.badRequest("the agent distribution " + file + " (setting agent.dist-file) does not exist:"
          + " build it or point agent.dist-file at the agent tar.gz");
    }
    try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (IOException e) {
      throw QairException.badRequest("cannot read the agent distribution " + file + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    // the query of a presigned URL is a credential
    return "AgentDistribution[" + url.getScheme() + "://" + url.getHost() + url.getPath() + ", sha256=" + sha256 + "]";
  }
}
