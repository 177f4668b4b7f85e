package io.qair.agent.server;

import io.qair.protocol.agent.EnrollComplete;
import io.qair.protocol.agent.EnrollRequest;
import io.qair.protocol.agent.EnrollResponse;
import io.qair.protocol.pki.CertificateAuthority;
import io.qair.protocol.pki.Csr;
import io.qair.protocol.pki.EcCurve;
import io.qair.protocol.pki.Pem;
import io.qair.protocol.pki.SubjectAltName;
import io.qair.protocol.pki.TlsMaterial;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A minimal stand-in for the master in agent tests: a CA, a client certificate from it, and raw
 * HTTPS calls. (The real enrollment client lives in the control plane.)
 */
final class TestMaster {
  final CertificateAuthority ca;
  final KeyPair clientKeys = EcCurve.P256.generate();
  final X509Certificate clientCert;
  final Vertx vertx;

  TestMaster(Vertx vertx, CertificateAuthority ca) {
    this.vertx = vertx;
    this.ca = ca;
    this.clientCert = ca.issue(clientKeys.getPublic(), "qair-master", List.of(SubjectAltName.dns("localhost")));
  }

  record Reply(int status, Buffer body, X509Certificate peer) {
    String text() {
      return body.toString();
    }
  }

  /** A client presenting this master's certificate; trusts any server (for enrollment) or only the CA. */
  HttpClient client(boolean trustAnyServer) {
    HttpClientOptions o = new HttpClientOptions().setSsl(true).setVerifyHost(false)
        .setKeyCertOptions(KeyCertOptions.wrap(TlsMaterial.keyManager(clientKeys.getPrivate(), List.of(clientCert))));
    if (trustAnyServer) {
      o.setTrustAll(true);
    } else {
      o.setTrustOptions(TrustOptions.wrap(TlsMaterial.trustManager(List.of(ca.certificate()))));
    }
    return vertx.createHttpClient(o);
  }

  static Reply call(HttpClient c, HttpMethod m, int port, String path, Buffer body) {
    Future<Reply> f = c.request(m, port, "127.0.0.1", path).compose(req -> {
      Future<io.vertx.core.http.HttpClientResponse> sent = body == null ? req.send() : req.send(body);
      return sent.compose(resp -> resp.body().map(b -> {
        X509Certificate peer;
        try {
          peer = (X509Certificate) req.connection().peerCertificates().get(0);
        } catch (Exception e) {
          peer = null;
        }
        return new Reply(resp.statusCode(), b, peer);
      }));
    });
    return await(f);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new RuntimeException(e.getCause());
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  /** Enrolls the agent on {@code port} for {@code zone}; returns the issued certificate. */
  X509Certificate enroll(int port, String zone) {
    HttpClient c = client(true);
    try {
      Reply r = call(c, HttpMethod.POST, port, "/v1/enroll",
          AgentJson.write(new EnrollRequest(zone, ca.certificatePem())));
      if (r.status() != 200) {
        throw new AssertionError("enroll: " + r.status() + " " + r.text());
      }
      EnrollResponse er = AgentJson.read(r.body(), EnrollResponse.class);
      Csr csr = Csr.parse(er.csrPem());
      X509Certificate cert = ca.issue(csr, zone, List.of(SubjectAltName.ip("127.0.0.1")));
      Reply done = call(c, HttpMethod.POST, port, "/v1/enroll/complete",
          AgentJson.write(new EnrollComplete(Pem.write((Object) cert), ca.certificatePem())));
      if (done.status() != 204) {
        throw new AssertionError("complete: " + done.status() + " " + done.text());
      }
      return cert;
    } finally {
      c.close();
    }
  }
}
