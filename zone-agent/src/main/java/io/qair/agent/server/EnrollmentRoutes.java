package io.qair.agent.server;

import io.qair.protocol.QairException;
import io.qair.protocol.agent.EnrollComplete;
import io.qair.protocol.agent.EnrollRequest;
import io.qair.protocol.agent.EnrollResponse;
import io.qair.protocol.pki.Certificates;
import io.qair.protocol.pki.Pem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/enroll} and {@code POST /v1/enroll/complete}: the only calls a fresh agent
 * answers, and calls an enrolled agent never answers again.
 */
final class EnrollmentRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(EnrollmentRoutes.class);
  private static final int MAX_TOKEN = 256;

  private final Vertx vertx;
  private final AgentIdentity identity;
  private final Path tokenFile;
  private final Supplier<Future<Void>> switchToIssued;

  EnrollmentRoutes(Vertx vertx, AgentIdentity identity, Path tokenFile, Supplier<Future<Void>> switchToIssued) {
    this.vertx = vertx;
    this.identity = identity;
    this.tokenFile = tokenFile;
    this.switchToIssued = switchToIssued;
  }

  void enroll(RoutingContext ctx) {
    EnrollRequest req = AgentJson.read(ctx.body().buffer(), EnrollRequest.class);
    if (!identity.zone().equals(req.zone())) {
      throw QairException.badRequest("this agent serves zone '" + identity.zone() + "', not '"
          + io.qair.protocol.Names.printable(req.zone()) + "'");
    }
    requireSameCa(req.caCertPem());
    vertx.executeBlocking(() -> new EnrollResponse(identity.csr().pem(), readToken()), false)
        .onSuccess(r -> ctx.response().putHeader("content-type", "application/json").end(AgentJson.write(r)))
        .onFailure(ctx::fail);
  }

  void complete(RoutingContext ctx) {
    EnrollComplete req = AgentJson.read(ctx.body().buffer(), EnrollComplete.class);
    if (req.caCertPem() != null) {
      requireSameCa(req.caCertPem());
    }
    vertx.executeBlocking(() -> {
      identity.complete(req.certPem());
      deleteToken();
      return null;
    }, false)
        .compose(v -> switchToIssued.get())
        .onSuccess(v -> {
          LOG.info("enrolled in zone {}: serving certificate serial {}", identity.zone(),
              Certificates.serial(identity.certificate()));
          ctx.response().setStatusCode(204).end();
        })
        .onFailure(ctx::fail);
  }

  private void requireSameCa(String untrustedPem) {
    if (untrustedPem == null || !Certificates.fingerprintMatches(Pem.readCertificate(untrustedPem),
        Certificates.fingerprint(identity.masterCa()))) {
      throw QairException.badRequest("the CA certificate is not the one this agent was provisioned with");
    }
  }

  private String readToken() {
    if (tokenFile == null || !Files.exists(tokenFile)) {
      throw QairException.conflict("this agent has no enrollment token: provision the zone again");
    }
    try {
      String token = Files.readString(tokenFile, StandardCharsets.US_ASCII).trim();
      if (token.isEmpty() || token.length() > MAX_TOKEN) {
        throw QairException.conflict("the enrollment token file is empty or malformed");
      }
      return token;
    } catch (IOException e) {
      throw QairException.unavailable("cannot read the enrollment token: " + e.getMessage(), e);
    }
  }

  private void deleteToken() {
    if (tokenFile != null) {
      try {
        Files.deleteIfExists(tokenFile);
      } catch (IOException e) {
        LOG.warn("cannot delete the used enrollment token {}: {}", tokenFile, e.toString());
      }
    }
  }
}
