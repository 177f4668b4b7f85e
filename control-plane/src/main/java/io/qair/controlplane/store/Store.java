package io.qair.controlplane.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeState;
import io.qair.protocol.api.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The master's SQLite database. Blocking: call it from a worker thread, never the event loop.
 *
 * <p>One connection, one transaction at a time. {@link #write} runs a body in one transaction:
 * either all of it commits, or nothing changes (and no event is published). The typed one-line
 * methods below are shorthands for a {@code write} or {@code read} with one {@link Tx} call.
 */
public final class Store implements AutoCloseable {
  public static final String DB_FILE = "qair.db";
  /** How many events the log keeps; older ones are deleted as new ones arrive. */
  public static final int DEFAULT_MAX_EVENTS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(Store.class);
  private static final Set<PosixFilePermission> DIR_0700 = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_0600 = PosixFilePermissions.fromString("rw-------");

  private final Connection conn;
  private final Clock clock;
  private final int maxEvents;
  private final ObjectMapper json = new ObjectMapper();
  private final ReentrantLock lock = new ReentrantLock();
  private volatile Consumer<Event> listener = e -> {};

  /** A transaction body. */
  @FunctionalInterface
  public interface TxBody<T> {
    T apply(Tx tx);
  }

  private Store(Connection conn, Clock clock, int maxEvents) {
    this.conn = conn;
    this.clock = clock;
    this.maxEvents = maxEvents;
  }

  /** Opens (creating if needed) {@code dataDir/qair.db}, and migrates it to the newest schema. */
  public static Store open(Path dataDir) {
    return open(dataDir, Clock.systemUTC(), DEFAULT_MAX_EVENTS);
  }

  public static Store open(Path dataDir, Clock clock, int maxEvents) {
    return open(dataDir, clock, maxEvents, Migrations.ALL);
  }

  static Store open(Path dataDir, Clock clock, int maxEvents, List<String> migrations) {
    Path db = dataDir.resolve(DB_FILE);
    prepareFiles(dataDir, db);
    Connection conn = null;
    try {
      conn = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
      try (Statement st = conn.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA foreign_keys=ON");
        st.execute("PRAGMA busy_timeout=5000");
        st.execute("PRAGMA synchronous=NORMAL");
      }
      conn.setAutoCommit(false);
      int version = new Migrations(migrations).apply(conn, clock.millis());
      LOG.debug("store {} at schema version {}", db, version);
      return new Store(conn, clock, maxEvents);
    } catch (SQLException | RuntimeException e) {
      closeQuietly(conn);
      if (e instanceof QairException q) {
        throw q;
      }
      throw new QairException(ErrorKind.INTERNAL, "cannot open the database " + db + ": " + e.getMessage(), e);
    }
  }

  /** Data dir 0700 and database file 0600, created before SQLite touches them. */
  private static void prepareFiles(Path dataDir, Path db) {
    try {
      if (!Files.isDirectory(dataDir)) {
        Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(DIR_0700));
      }
      Files.setPosixFilePermissions(dataDir, DIR_0700);
      try {
        Files.createFile(db, PosixFilePermissions.asFileAttribute(FILE_0600));
      } catch (FileAlreadyExistsException e) {
        Files.setPosixFilePermissions(db, FILE_0600);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the data directory " + dataDir, e);
    }
  }

  /** Called with every event after its transaction commits, in commit order. Must not block. */
  public void onEvent(Consumer<Event> newListener) {
    this.listener = newListener == null ? e -> {} : newListener;
  }

  /** Runs {@code body} in one transaction; if it throws, nothing it did is kept. */
  public <T> T write(TxBody<T> body) {
    return run(body, false);
  }

  /** Runs a read-only body; writes inside it are refused. */
  public <T> T read(TxBody<T> body) {
    return run(body, true);
  }

  private <T> T run(TxBody<T> body, boolean readOnly) {
    lock.lock();
    try {
      Tx tx = new Tx(conn, json, clock.millis(), readOnly);
      T result;
      try {
        result = body.apply(tx);
        if (!tx.recordedEvents().isEmpty()) {
          tx.trimEvents(maxEvents);
        }
        if (readOnly) {
          conn.rollback();
        } else {
          conn.commit();
        }
      } catch (SQLException e) {
        rollbackQuietly();
        throw translate(e);
      } catch (RuntimeException | Error e) {
        rollbackQuietly();
        throw e;
      }
      for (Event e : tx.recordedEvents()) {
        try {
          listener.accept(e);
        } catch (RuntimeException ex) {
          LOG.warn("event listener failed on event {}", e.id(), ex);
        }
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  private void rollbackQuietly() {
    try {
      conn.rollback();
    } catch (SQLException e) {
      LOG.error("rollback failed", e);
    }
  }

  static QairException translate(SQLException e) {
    if (e instanceof SQLiteException s) {
      SQLiteErrorCode code = s.getResultCode();
      if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE) {
        return QairException.conflict("it exists already");
      }
    }
    return new QairException(ErrorKind.INTERNAL, "database error: " + e.getMessage(), e);
  }

  public int schemaVersion() {
    lock.lock();
    try {
      int v = Migrations.currentVersion(conn);
      conn.rollback();
      return v;
    } catch (SQLException e) {
      throw translate(e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closeQuietly(conn);
    } finally {
      lock.unlock();
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.warn("closing the database failed", e);
      }
    }
  }

  // ------------------------------------------------ shorthands: zones, enrollment, certificates

  public ZoneRow insertZone(ZoneRow zone) {
    return write(tx -> tx.insertZone(zone));
  }

  /** Writes the zone's state, address, reason, step and certificate serial exactly as given. */
  public ZoneRow updateZone(String name, ZoneState state, String address, String reason, String step,
      String certSerial) {
    return write(tx -> tx.updateZone(name, state, address, reason, step, certSerial));
  }

  public Optional<ZoneRow> zone(String name) {
    return read(tx -> tx.zone(name));
  }

  public List<ZoneRow> zones() {
    return read(Tx::zones);
  }

  /** Deletes the zone and every qube row in it. */
  public void deleteZone(String name) {
    write(tx -> {
      tx.deleteZone(name);
      return null;
    });
  }

  /** Stores the SHA-256 (hex or base64url, the caller's choice) of an enrollment token. */
  public void insertToken(String tokenHash, String zone, long expiresAtMillis) {
    write(tx -> {
      tx.insertToken(tokenHash, zone, expiresAtMillis);
      return null;
    });
  }

  /** Checks the token and, only if it is good, burns it, atomically. */
  public TokenRedemption redeemToken(String tokenHash, String zone, long nowMillis) {
    return write(tx -> tx.redeemToken(tokenHash, zone, nowMillis));
  }

  public void revokeCert(String serial, String zone) {
    write(tx -> {
      tx.revokeCert(serial, zone);
      return null;
    });
  }

  public boolean isRevoked(String serial) {
    return read(tx -> tx.isRevoked(serial));
  }

  // ------------------------------------------------ shorthands: qubes

  public List<QubeRow> qubes() {
    return read(Tx::qubes);
  }

  public Optional<QubeRow> qube(String name) {
    return read(tx -> tx.qube(name));
  }

  /** Records a qube's power state as its zone reports it (an event only if it changed). */
  public QubeRow setQubeState(String name, QubeState state, String reason) {
    return write(tx -> tx.setQubeState(name, state, reason));
  }

  public List<Event> eventsAfter(long afterId, int limit) {
    return read(tx -> tx.eventsAfter(afterId, limit));
  }
}
