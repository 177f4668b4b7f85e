package io.qair.controlplane.api;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.qair.protocol.pki.SecureFiles;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The Admin API bearer token: 32 random bytes, base64url, in {@code DATA_DIR/token} (0600),
 * made at first start. Every request must carry {@code Authorization: Bearer TOKEN}; the check
 * takes the same time wherever the tokens differ.
 */
public final class ApiToken implements Handler<RoutingContext> {
  public static final String FILE = "token";

  private final byte[] expected;

  private ApiToken(String token) {
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.US_ASCII);
  }

  public static ApiToken of(String token) {
    return new ApiToken(token);
  }

  /** Reads {@code dataDir/token}, or makes one and writes it there first. */
  public static ApiToken loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      byte[] raw = new byte[32];
      new SecureRandom().nextBytes(raw);
      SecureFiles.ownerOnlyDir(dataDir);
      SecureFiles.writePrivate(file, Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "\n");
    }
    String token = SecureFiles.read(file).strip();
    if (token.isEmpty()) {
      throw new IllegalStateException(file + " is empty: delete it and restart the master to make a new token");
    }
    return new ApiToken(token);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ctx.fail(new QairException(ErrorKind.UNAUTHENTICATED,
          "no bearer token: send the token from $QAIR_HOME/master/token (the CLI does this for you)"));
      return;
    }
    if (!MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      ctx.fail(new QairException(ErrorKind.UNAUTHENTICATED,
          "the bearer token is not valid: use the token from $QAIR_HOME/master/token"));
      return;
    }
    ctx.next();
  }
}
