package io.qair.desktop;

import static io.qair.desktop.fake.GatewayHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.qair.desktop.auth.LoginThrottle;
import io.qair.desktop.auth.PasswordStore;
import io.qair.desktop.fake.GatewayHarness;
import io.qair.desktop.fake.GatewayHarness.Login;
import io.qair.desktop.fake.PagePeer;
import io.qair.desktop.tunnel.GuacamoleCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's front door, tried the way an attacker would: login, session cookie, CSRF, Origin, Host. */
class GatewayAuthTest {
  @TempDir
  static Path tmp;
  static GatewayHarness h;

  @BeforeAll
  static void start() throws Exception {
    h = new GatewayHarness(tmp);
  }

  @AfterAll
  static void stop() throws Exception {
    h.close();
  }

  @BeforeEach
  void openThrottle() {
    h.clock.advance(LoginThrottle.MAX_LOCK.plusSeconds(1));
  }

  @Test
  void firstStartWritesAPasswordFileOnlyTheUserCanRead() throws Exception {
    Path file = h.dataDir.resolve(PasswordStore.FIRST_LOGIN_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    String hash = Files.readString(h.dataDir.resolve(PasswordStore.HASH_FILE));
    assertThat(hash).startsWith("pbkdf2-sha256$600000$").doesNotContain(h.password());
  }

  @Test
  void loginSetsAStrictSessionCookie() throws Exception {
    HttpResponse<Buffer> r = h.login(h.password());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.cookies()).hasSize(1);
    String cookie = r.cookies().get(0);
    assertThat(cookie).startsWith("__Host-qair-session=").contains("; Secure").containsIgnoringCase("; HttpOnly")
        .contains("; SameSite=Strict").contains("; Path=/").doesNotContain("Domain").doesNotContain("Max-Age")
        .doesNotContain("Expires");
    String id = cookie.substring("__Host-qair-session=".length(), cookie.indexOf(';'));
    assertThat(id).matches("[A-Za-z0-9_-]{43}"); // 256 random bits
    assertThat(r.bodyAsJsonObject().getString("csrf")).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(id);
  }

  @Test
  void wrongPasswordIsRefused() throws Exception {
    HttpResponse<Buffer> r = h.login("not-the-password");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.cookies()).isEmpty();
    assertThat(r.bodyAsJsonObject().getString("message")).isEqualTo("wrong password");
  }

  @Test
  void repeatedFailuresLockTheDoorEvenForTheRightPassword() throws Exception {
    h.login(); // a success resets the count
    for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
      assertThat(h.login("guess-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<Buffer> locked = h.login(h.password());
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.getHeader("Retry-After")).isEqualTo("1");
    assertThat(locked.cookies()).isEmpty();
    h.clock.advance(Duration.ofSeconds(2));
    assertThat(h.login("guess-again").statusCode()).isEqualTo(401);
    assertThat(h.login(h.password()).statusCode()).isEqualTo(429); // now 2 s
    h.clock.advance(Duration.ofSeconds(3));
    assertThat(h.login(h.password()).statusCode()).isEqualTo(200);
  }

  @Test
  void loginFromAForeignOriginIsRefused() throws Exception {
    HttpResponse<Buffer> r = await(h.web.request(HttpMethod.POST, h.gateway.port(), "127.0.0.1", "/login")
        .putHeader("Origin", "https://evil.example").sendJsonObject(new JsonObject().put("password", h.password())));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.cookies()).isEmpty();
  }

  @Test
  void withoutSessionPagesGoToLoginAndApiAnswers401() throws Exception {
    HttpResponse<Buffer> page = await(h.request(HttpMethod.GET, "/").send());
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.getHeader("Location")).isEqualTo("/login.html");
    assertThat(await(h.request(HttpMethod.GET, "/js/desktop.js").send()).statusCode()).isEqualTo(302);
    HttpResponse<Buffer> api = await(h.request(HttpMethod.GET, "/api/desktop").send());
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.bodyAsJsonObject().getString("error")).isEqualTo("UNAUTHENTICATED");
    HttpResponse<Buffer> forged = await(h.request(HttpMethod.GET, "/api/desktop")
        .putHeader("Cookie", "__Host-qair-session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").send());
    assertThat(forged.statusCode()).isEqualTo(401);
    HttpResponse<Buffer> login = await(h.request(HttpMethod.GET, "/login.html").send());
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.getHeader("Content-Security-Policy")).contains("script-src 'self'").contains("frame-ancestors 'none'");
  }

  @Test
  void aSessionOpensTheDesktop() throws Exception {
    Login l = h.login();
    HttpResponse<Buffer> page = h.get(l, "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("qube-menu");
    assertThat(h.get(l, "/guacamole/guacamole-common-js/all.min.js").statusCode()).isEqualTo(200);
    assertThat(h.get(l, "/api/session").bodyAsJsonObject().getString("csrf")).isEqualTo(l.csrf());
  }

  @Test
  void stateChangingCallsNeedTheCsrfTokenAndOrigin() throws Exception {
    Login l = h.login();
    HttpResponse<Buffer> none = await(h.request(HttpMethod.POST, "/api/qubes/vault/start").putHeader("Cookie", l.cookie())
        .sendJsonObject(new JsonObject()));
    assertThat(none.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> wrong = await(h.request(HttpMethod.POST, "/api/qubes/vault/start").putHeader("Cookie", l.cookie())
        .putHeader("X-Qair-Csrf", l.csrf().substring(1) + "A").sendJsonObject(new JsonObject()));
    assertThat(wrong.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> foreign = await(h.web.request(HttpMethod.POST, h.gateway.port(), "127.0.0.1", "/api/qubes/vault/start")
        .putHeader("Origin", "https://evil.example").putHeader("Cookie", l.cookie()).putHeader("X-Qair-Csrf", l.csrf())
        .sendJsonObject(new JsonObject()));
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(h.master.qubes.get("vault").getString("state")).isEqualTo("HALTED");
    HttpResponse<Buffer> ok = h.post(l, "/api/qubes/vault/start", new JsonObject());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(h.master.qubes.get("vault").getString("state")).isEqualTo("RUNNING");
    h.post(l, "/api/qubes/vault/shutdown", new JsonObject());
  }

  @Test
  void logoutEndsTheSession() throws Exception {
    Login l = h.login();
    assertThat(await(h.request(HttpMethod.POST, "/logout").putHeader("Cookie", l.cookie()).send()).statusCode())
        .isEqualTo(403); // no CSRF token: no forced logout either
    HttpResponse<Buffer> out = h.post(l, "/logout", new JsonObject());
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(out.cookies().get(0)).contains("Max-Age=0");
    assertThat(h.get(l, "/api/desktop").statusCode()).isEqualTo(401);
  }

  @Test
  void idleSessionsExpire() throws Exception {
    Login l = h.login();
    assertThat(h.get(l, "/api/session").statusCode()).isEqualTo(200);
    h.clock.advance(Duration.ofMinutes(31));
    assertThat(h.get(l, "/api/session").statusCode()).isEqualTo(401);
  }

  @Test
  void typingInAWindowKeepsTheSessionAliveAndItsEndClosesTheDisplays() throws Exception {
    Login l = h.login();
    PagePeer page = h.openDisplay(l, "work");
    h.agentDisplay("work").window(1, 10, 10, "xterm", java.awt.Color.WHITE, null);
    page.waitFor("qair-window");
    for (int i = 0; i < 3; i++) {
      h.clock.advance(Duration.ofMinutes(20));
      page.send(GuacamoleCodec.encode("key", "97", "1"));
      String key = "3.key,2.97,1.1;";
      int seen = i + 1;
      GatewayHarness.eventually(() -> h.agentDisplay("work").received.stream().filter(key::equals).count() == seen,
          "the key");
    }
    assertThat(h.get(l, "/api/session").statusCode()).isEqualTo(200); // 60 minutes after login
    h.clock.advance(Duration.ofMinutes(31));
    assertThat(h.get(l, "/api/session").statusCode()).isEqualTo(401);
    GatewayHarness.eventually(() -> page.closed, "the display to close with the session");
  }

  @Test
  void aForeignHostHeaderIsRefused() throws Exception {
    HttpResponse<Buffer> r = await(h.web.request(HttpMethod.GET, h.gateway.port(), "127.0.0.1", "/login.html")
        .putHeader("Host", "rebound.evil.example:" + h.gateway.port()).send());
    assertThat(r.statusCode()).isEqualTo(421);
  }
}
