package io.qair.controlplane.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.controlplane.store.Store;
import io.qair.controlplane.store.ZoneRow;
import io.qair.controlplane.store.ZoneState;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrollment tokens against the real SQLite store: the refusals the enrollment tests rely on. */
class StoreLedgerTest {
  @TempDir Path tmp;

  @Test
  void tokensAreSingleUseShortLivedAndBoundToTheirZone() {
    Store store = Store.open(tmp);
    try {
      ZoneLedger ledger = StoreLedger.of(store);
      ledger.insertZone(ZoneRow.pending("work", "local", null, Map.of()));
      ledger.insertZone(ZoneRow.pending("personal", "local", null, Map.of()));
      MutableClock clock = new MutableClock();
      EnrollmentTokens tokens = new EnrollmentTokens(ledger, clock);

      String good = tokens.issue("work");
      assertDenied(() -> tokens.redeem(good, "personal"), "another zone");
      tokens.redeem(good, "work");
      assertDenied(() -> tokens.redeem(good, "work"), "already used");
      assertDenied(() -> tokens.redeem("forged", "work"), "unknown token");
      String late = tokens.issue("work");
      clock.advance(EnrollmentTokens.TTL.plus(Duration.ofSeconds(1)));
      assertDenied(() -> tokens.redeem(late, "work"), "expired");

      ledger.updateZone("work", ZoneState.READY, "127.0.0.1:1", null, null, "ab12");
      assertThat(ledger.zone("work").orElseThrow().certSerial()).isEqualTo("ab12");
      assertThat(ledger.qubeCount("work")).isZero();
      ledger.revokeCert("ab12", "work");
      assertThat(ledger.isRevoked("ab12")).isTrue();
      ledger.deleteZone("work");
      assertThat(ledger.zones()).extracting(ZoneRow::name).containsExactly("personal");
    } finally {
      store.close();
    }
  }

  private static void assertDenied(Runnable r, String why) {
    assertThatThrownBy(r::run).isInstanceOf(QairException.class)
        .satisfies(e -> assertThat(((QairException) e).kind()).isEqualTo(ErrorKind.PERMISSION_DENIED))
        .hasMessageContaining(why);
  }
}
