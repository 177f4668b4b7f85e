package io.qair.controlplane.zone;

import io.qair.protocol.HostPort;
import io.qair.protocol.QairException;
import io.qair.protocol.agent.EnrollComplete;
import io.qair.protocol.agent.EnrollRequest;
import io.qair.protocol.agent.EnrollResponse;
import io.qair.protocol.pki.Certificates;
import io.qair.protocol.pki.Csr;
import io.qair.protocol.pki.Pem;
import io.qair.protocol.pki.SubjectAltName;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.KeyCertOptions;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrolls a fresh zone agent (docs/dev/contracts.md, "Enrollment"). The master dials with its
 * client certificate. The agent's certificate is self-signed at this point, so it is accepted as
 * is, but its public key is recorded: the CSR must be for that very key, which proves the agent
 * at the other end of this TLS connection holds the private key the certificate will certify.
 * Then the token is checked and burned, the certificate issued (CN = zone, SAN = the address's
 * host), its serial recorded by the caller, and sent to the agent.
 */
public final class Enroller {
  private static final Logger LOG = LoggerFactory.getLogger(Enroller.class);
  static final int MAX_ANSWER = 64 * 1024;

  private final Vertx vertx;
  private final MasterPki pki;
  private final EnrollmentTokens tokens;
  /** Sees every answer body from the agent (tests assert on what the master received). */
  private volatile java.util.function.Consumer<Buffer> answerTap = b -> {};

  /** The outcome: the agent holds a certificate with this serial. */
  public record EnrolledAgent(String zone, String address, String certSerial, String certFingerprint) {}

  public Enroller(Vertx vertx, MasterPki pki, EnrollmentTokens tokens) {
    this.vertx = vertx;
    this.pki = pki;
    this.tokens = tokens;
  }

  /**
   * Enrolls the agent for {@code zone} at {@code address} ({@code HOST:PORT}). {@code recordSerial}
   * is called with the new certificate's serial before the certificate is sent, so the store
   * knows it (and can revoke it) whatever happens next. PERMISSION_DENIED if the agent's token or
   * key does not check out (nothing is issued then); UNAVAILABLE if it cannot be reached.
   */
  public Future<EnrolledAgent> enroll(String zone, String address, Function<String, Future<Void>> recordSerial) {
    if (zone.startsWith(Certificates.RESERVED_PREFIX)) {
      return Future.failedFuture(QairException.badRequest("'" + zone + "' is a reserved name, not a zone"));
    }
    HostPort hp = HostPort.parse(address);
    HttpClient client = vertx.createHttpClient(new HttpClientOptions()
        .setSsl(true).setSslEngineOptions(MasterPki.sslEngine())
        .setTrustAll(true) // the self-signed cert is checked below, by key
        .setVerifyHost(false)
        .setKeyCertOptions(KeyCertOptions.wrap(pki.clientKeyManager()))
        .setConnectTimeout(10_000)
        .setIdleTimeout(60));
    return post(client, zone, hp, "/v1/enroll", AgentJson.write(new EnrollRequest(zone, pki.caCertPem())), 200)
        .compose(first -> {
          EnrollResponse answer = AgentJson.read(zone, first.body(), EnrollResponse.class);
          Csr csr;
          try {
            csr = Csr.parse(answer.csrPem());
          } catch (QairException e) {
            throw QairException.denied("enrollment of zone " + zone + " refused: " + e.getMessage());
          }
          if (!Certificates.sameKey(csr.publicKey(), first.peerKey())) {
            throw QairException.denied("enrollment of zone " + zone + " refused: the CSR is for a"
                + " different key than the agent's TLS certificate");
          }
          return vertx.executeBlocking(() -> {
            tokens.redeem(answer.token(), zone);
            return pki.ca().issue(csr, zone, sans(hp.host()));
          }, false).compose(cert -> {
            String serial = Certificates.serial(cert);
            return recordSerial.apply(serial).compose(v -> post(client, zone, hp, "/v1/enroll/complete",
                AgentJson.write(new EnrollComplete(Pem.write((Object) cert), pki.caCertPem())), 204))
                .map(done -> {
                  if (!Certificates.sameKey(done.peerKey(), first.peerKey())) {
                    throw QairException.denied("enrollment of zone " + zone + " refused: the agent's key"
                        + " changed between the two enrollment calls");
                  }
                  LOG.info("zone {} enrolled at {}: certificate serial {}", zone, address, serial);
                  return new EnrolledAgent(zone, address, serial, Certificates.fingerprint(cert));
                });
          });
        })
        .eventually(() -> client.close());
  }

  /** For tests: {@code tap} sees every answer body the agent sends during enrollment. */
  Enroller tapAnswers(java.util.function.Consumer<Buffer> tap) {
    this.answerTap = tap;
    return this;
  }

  private static List<SubjectAltName> sans(String host) {
    List<SubjectAltName> sans = new ArrayList<>();
    sans.add(SubjectAltName.forHost(host));
    if (host.equals("127.0.0.1") || host.equals("::1")) {
      sans.add(SubjectAltName.dns("localhost"));
    }
    return sans;
  }

  private record Answer(Buffer body, PublicKey peerKey) {}

  private Future<Answer> post(HttpClient client, String zone, HostPort hp, String path, Buffer body, int expect) {
    return client.request(HttpMethod.POST, hp.port(), hp.host(), path)
        .recover(e -> Future.failedFuture(AgentClient.unreachable(zone, e)))
        .compose(req -> {
          req.putHeader("content-type", "application/json");
          return req.send(body)
              .recover(e -> Future.failedFuture(AgentClient.unreachable(zone, e)))
              .compose(resp -> AgentClient.boundedBody(resp, MAX_ANSWER, zone).map(b -> {
                answerTap.accept(b);
                if (resp.statusCode() != expect) {
                  throw AgentJson.error(zone, resp.statusCode(), b);
                }
                X509Certificate peer = AgentClient.peerCertificate(req.connection(), zone);
                return new Answer(b, peer.getPublicKey());
              }));
        });
  }
}
