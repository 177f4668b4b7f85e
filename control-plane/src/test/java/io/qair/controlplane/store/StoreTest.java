package io.qair.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.Label;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QubeState;
import io.qair.protocol.api.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {
  @TempDir Path tmp;

  private static QubeRow qube(String name, QubeClass klass, String template) {
    return new QubeRow(name, klass, "local", Label.RED, template, null, 400, 2, QubeState.HALTED, 0);
  }

  private static void seed(Store store) {
    store.insertZone(ZoneRow.pending("local", "local", null, Map.of()));
    store.write(tx -> tx.insertQube(qube("debian-12", QubeClass.TemplateVM, null)));
  }

  @Test
  void createsPrivateDataDirAndDatabaseFile() throws Exception {
    Path dir = tmp.resolve("master");
    try (Store store = Store.open(dir)) {
      seed(store);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(Store.DB_FILE))))
        .isEqualTo("rw-------");
  }

  @Test
  void tightensPermissionsOfAnExistingDirectory() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Store.open(dir).close();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
  }

  @Test
  void migrationsAreIdempotentOnReopenAndKeepData() throws Exception {
    try (Store store = Store.open(tmp)) {
      assertThat(store.schemaVersion()).isEqualTo(2);
      seed(store);
    }
    try (Store store = Store.open(tmp)) {
      assertThat(store.schemaVersion()).isEqualTo(2);
      assertThat(store.qubes()).extracting(QubeRow::name).containsExactly("debian-12");
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve(Store.DB_FILE));
        var rs = c.createStatement().executeQuery("SELECT COUNT(*), MAX(name) FROM schema_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
      assertThat(rs.getString(2)).isEqualTo("zone_templates");
    }
  }

  @Test
  void aFailingMigrationLeavesThePreviousVersion() throws Exception {
    List<String> broken = List.of("db/V1__init.sql", "db-test/V2__broken.sql");
    assertThatThrownBy(() -> Store.open(tmp, Clock.systemUTC(), 100, broken))
        .isInstanceOf(QairException.class)
        .hasMessageContaining("V2__broken.sql");
    try (Store store = Store.open(tmp, Clock.systemUTC(), 100, List.of("db/V1__init.sql"))) {
      assertThat(store.schemaVersion()).isEqualTo(1);
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve(Store.DB_FILE));
        var rs = c.createStatement().executeQuery(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void aFailingMutationChangesNothingAndPublishesNothing() {
    try (Store store = Store.open(tmp)) {
      seed(store);
      List<Event> published = new ArrayList<>();
      store.onEvent(published::add);
      long lastEvent = store.read(Tx::lastEventId);
      assertThatThrownBy(() -> store.write(tx -> {
        tx.insertQube(qube("work", QubeClass.AppVM, "debian-12"));
        tx.addTag("work", "t1");
        throw QairException.badRequest("changed my mind");
      })).hasMessage("changed my mind");
      assertThat(store.qube("work")).isEmpty();
      assertThat(store.<Long>read(Tx::lastEventId)).isEqualTo(lastEvent);
      assertThat(published).isEmpty();
    }
  }

  @Test
  void mutationsRecordAndPublishEventsInOrder() {
    try (Store store = Store.open(tmp)) {
      List<Event> published = new ArrayList<>();
      store.onEvent(published::add);
      seed(store);
      store.write(tx -> tx.insertQube(qube("work", QubeClass.AppVM, "debian-12")));
      store.setQubeState("work", QubeState.RUNNING, null);
      store.setQubeState("work", QubeState.RUNNING, null); // unchanged: no event
      assertThat(published).extracting(Event::type)
          .containsExactly("zone-created", "qube-created", "qube-created", "qube-state");
      assertThat(store.eventsAfter(0, 100)).isEqualTo(published);
      assertThat(store.eventsAfter(published.get(1).id(), 100)).hasSize(2);
    }
  }

  @Test
  void eventLogIsBounded() {
    try (Store store = Store.open(tmp, Clock.systemUTC(), 5)) {
      seed(store);
      store.write(tx -> tx.insertQube(qube("work", QubeClass.AppVM, "debian-12")));
      for (int i = 0; i < 10; i++) {
        store.write(tx -> tx.addTag("work", "t" + tx.lastEventId()));
      }
      List<Event> left = store.eventsAfter(0, 100);
      assertThat(left).hasSize(5);
      assertThat(left.get(4).id()).isEqualTo(store.<Long>read(Tx::lastEventId));
    }
  }

  @Test
  void duplicateQubeIsAConflict() {
    try (Store store = Store.open(tmp)) {
      seed(store);
      assertThatThrownBy(() -> store.write(tx -> tx.insertQube(qube("debian-12", QubeClass.AppVM, null))))
          .isInstanceOf(QairException.class)
          .extracting(e -> ((QairException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
    }
  }

  @Test
  void duplicateZoneIsAConflict() {
    try (Store store = Store.open(tmp)) {
      seed(store);
      assertThatThrownBy(() -> store.insertZone(ZoneRow.pending("local", "local", null, Map.of())))
          .extracting(e -> ((QairException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
    }
  }

  @Test
  void propertiesTagsAndFeaturesCascadeWithTheQube() {
    try (Store store = Store.open(tmp)) {
      seed(store);
      store.write(tx -> {
        tx.insertQube(qube("work", QubeClass.AppVM, "debian-12"));
        tx.setProperty("work", "autostart", "true");
        tx.setProperty("work", "memory", "800");
        tx.setFeature("work", "gui", "1");
        tx.addTag("work", "office");
        return null;
      });
      assertThat(store.qube("work").orElseThrow().memory()).isEqualTo(800);
      assertThat(store.<Map<String, String>>read(tx -> tx.storedProperties("work"))).containsEntry("autostart", "true");
      store.write(tx -> {
        tx.resetProperty("work", "autostart", null);
        tx.resetProperty("work", "memory", "400");
        return null;
      });
      assertThat(store.<Map<String, String>>read(tx -> tx.storedProperties("work"))).isEmpty();
      assertThat(store.qube("work").orElseThrow().memory()).isEqualTo(400);
      assertThat(store.<List<String>>read(tx -> tx.dependents("debian-12"))).containsExactly("work");
      store.write(tx -> {
        tx.deleteQube("work");
        return null;
      });
      assertThat(store.<List<String>>read(tx -> tx.tags("work"))).isEmpty();
      assertThat(store.<Map<String, String>>read(tx -> tx.features("work"))).isEmpty();
    }
  }

  @Test
  void zonesUpdateAndDeleteWithTheirQubes() {
    try (Store store = Store.open(tmp)) {
      seed(store);
      store.write(tx -> tx.insertQube(qube("work", QubeClass.AppVM, "debian-12")));
      ZoneRow z = store.updateZone("local", ZoneState.READY, "127.0.0.1:7444", null, null, "0a1b");
      assertThat(z.state()).isEqualTo(ZoneState.READY);
      assertThat(z.certSerial()).isEqualTo("0a1b");
      assertThat(z.address()).isEqualTo("127.0.0.1:7444");
      assertThat(store.<Integer>read(tx -> tx.qubeCount("local"))).isEqualTo(2);
      store.deleteZone("local");
      assertThat(store.zones()).isEmpty();
      assertThat(store.qubes()).isEmpty();
      assertThatThrownBy(() -> store.updateZone("local", ZoneState.READY, null, null, null, null))
          .extracting(e -> ((QairException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
    }
  }

  @Test
  void enrollmentTokensAreSingleUseForOneZoneUntilExpiry() {
    try (Store store = Store.open(tmp)) {
      store.insertToken("h1", "aws1", 1_000);
      store.insertToken("h2", "aws1", 1_000);
      assertThat(store.redeemToken("nope", "aws1", 10)).isEqualTo(TokenRedemption.UNKNOWN);
      assertThat(store.redeemToken("h1", "gcp1", 10)).isEqualTo(TokenRedemption.WRONG_ZONE);
      assertThat(store.redeemToken("h1", "aws1", 1_000)).isEqualTo(TokenRedemption.EXPIRED);
      assertThat(store.redeemToken("h1", "aws1", 999)).isEqualTo(TokenRedemption.OK);
      assertThat(store.redeemToken("h1", "aws1", 999)).isEqualTo(TokenRedemption.USED);
      assertThat(store.redeemToken("h2", "aws1", 999)).isEqualTo(TokenRedemption.OK);
    }
  }

  @Test
  void revokedCertificatesAreRemembered() {
    try (Store store = Store.open(tmp)) {
      assertThat(store.isRevoked("01ff")).isFalse();
      store.revokeCert("01ff", "aws1");
      store.revokeCert("01ff", "aws1");
      assertThat(store.isRevoked("01ff")).isTrue();
    }
  }
}
