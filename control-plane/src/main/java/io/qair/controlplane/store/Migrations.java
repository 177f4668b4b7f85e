package io.qair.controlplane.store;

import io.qair.protocol.ErrorKind;
import io.qair.protocol.QairException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code db/V<N>__name.sql} resources in order, each in one transaction recorded in
 * {@code schema_version}. A migration that fails leaves the database at the previous version.
 */
final class Migrations {
  /** Every migration, in order. Add a file under {@code src/main/resources/db} and list it here. */
  static final List<String> ALL = List.of("db/V1__init.sql", "db/V2__zone_templates.sql");

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final Pattern NAME = Pattern.compile("(?:.*/)?V(\\d+)__([A-Za-z0-9_]+)\\.sql");

  private final List<String> resources;

  Migrations(List<String> resources) {
    this.resources = List.copyOf(resources);
  }

  /** Brings the schema up to date; returns the version the database is at afterwards. */
  int apply(Connection conn, long now) throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY,"
          + " name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    }
    conn.commit();
    int current = currentVersion(conn);
    for (String resource : resources) {
      Matcher m = NAME.matcher(resource);
      if (!m.matches()) {
        throw new IllegalStateException("migration resource not named V<N>__name.sql: " + resource);
      }
      int version = Integer.parseInt(m.group(1));
      if (version <= current) {
        continue;
      }
      if (version != current + 1) {
        throw new IllegalStateException("migration V" + (current + 1) + " is missing before " + resource);
      }
      try {
        try (Statement st = conn.createStatement()) {
          for (String sql : statements(read(resource))) {
            st.executeUpdate(sql);
          }
        }
        try (PreparedStatement ps = conn.prepareStatement(
            "INSERT INTO schema_version(version, name, applied_at) VALUES (?, ?, ?)")) {
          ps.setInt(1, version);
          ps.setString(2, m.group(2));
          ps.setLong(3, now);
          ps.executeUpdate();
        }
        conn.commit();
      } catch (SQLException | RuntimeException e) {
        conn.rollback();
        throw new QairException(ErrorKind.INTERNAL,
            "database migration " + resource + " failed: " + e.getMessage(), e);
      }
      LOG.info("applied database migration {}", resource);
      current = version;
    }
    return current;
  }

  static int currentVersion(Connection conn) throws SQLException {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String read(String resource) {
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("migration resource missing from the classpath: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }

  /** Splits a script on ';' at the end of a line, dropping '--' comment lines. No triggers. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      cur.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        out.add(cur.toString().strip());
        cur.setLength(0);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString().strip());
    }
    return out;
  }
}
