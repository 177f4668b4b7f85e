package io.qair.controlplane.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.protocol.ErrorKind;
import io.qair.protocol.Label;
import io.qair.protocol.QairException;
import io.qair.protocol.QubeClass;
import io.qair.protocol.QubeState;
import io.qair.protocol.api.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One open transaction: typed reads and writes on every table. Obtained only through
 * {@link Store#write} or {@link Store#read}; every write records its event here, in the same
 * transaction. Methods throw {@link QairException}: NOT_FOUND for a missing row, CONFLICT for a
 * duplicate key, INTERNAL for anything the database refuses.
 */
public final class Tx {
  /** Properties stored as columns of {@code qubes}; the rest live in {@code qube_properties}. */
  public static final Set<String> COLUMN_PROPERTIES = Set.of("label", "memory", "vcpus", "netvm", "template");

  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private final Connection conn;
  private final ObjectMapper json;
  private final long now;
  private final boolean readOnly;
  private final List<Event> events = new ArrayList<>();

  Tx(Connection conn, ObjectMapper json, long now, boolean readOnly) {
    this.conn = conn;
    this.json = json;
    this.now = now;
    this.readOnly = readOnly;
  }

  /** The time of this transaction, in milliseconds since the epoch. */
  public long now() {
    return now;
  }

  List<Event> recordedEvents() {
    return events;
  }

  // ---------------------------------------------------------------- zones

  public List<ZoneRow> zones() {
    return query("SELECT * FROM zones ORDER BY name", this::zoneRow);
  }

  public Optional<ZoneRow> zone(String name) {
    return query("SELECT * FROM zones WHERE name = ?", this::zoneRow, name).stream().findFirst();
  }

  public ZoneRow requireZone(String name) {
    return zone(name).orElseThrow(() -> QairException.notFound(
        "zone '" + name + "' not found: list zones with `qair zone ls`"));
  }

  public ZoneRow insertZone(ZoneRow z) {
    update("INSERT INTO zones(name, provider, region, state, address, reason, options, cert_serial, step,"
            + " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        z.name(), z.provider(), z.region(), z.state().name(), z.address(), z.reason(),
        toJson(z.options()), z.certSerial(), z.step(), now, now);
    Map<String, String> data = new LinkedHashMap<>();
    data.put("provider", z.provider());
    data.put("state", z.state().name());
    event(EventType.ZONE_CREATED, z.name(), data);
    return requireZone(z.name());
  }

  /**
   * Writes the zone's state, address, reason, step and certificate serial, exactly as given; a
   * zone-state event (state, step, reason) when the state, step or reason changed.
   */
  public ZoneRow updateZone(String name, ZoneState state, String address, String reason, String step,
      String certSerial) {
    ZoneRow before = requireZone(name);
    update("UPDATE zones SET state = ?, address = ?, reason = ?, step = ?, cert_serial = ?, updated_at = ?"
        + " WHERE name = ?", state.name(), address, reason, step, certSerial, now, name);
    if (before.state() != state || !java.util.Objects.equals(before.reason(), reason)
        || !java.util.Objects.equals(before.step(), step)) {
      Map<String, String> data = new LinkedHashMap<>();
      data.put("state", state.name());
      if (step != null) {
        data.put("step", step);
      }
      if (reason != null) {
        data.put("reason", reason);
      }
      event(EventType.ZONE_STATE, name, data);
    }
    return requireZone(name);
  }

  /** Deletes the zone and every qube row in it (each with a qube-removed event). */
  public void deleteZone(String name) {
    requireZone(name);
    List<QubeRow> inZone = query("SELECT * FROM qubes WHERE zone = ? ORDER BY klass = 'TemplateVM', name",
        this::qubeRow, name);
    update("UPDATE qubes SET netvm = NULL WHERE netvm IN (SELECT name FROM qubes WHERE zone = ?)", name);
    for (QubeRow q : inZone) {
      update("DELETE FROM qubes WHERE name = ?", q.name());
      event(EventType.QUBE_REMOVED, q.name(), Map.of("zone", name));
    }
    update("DELETE FROM zones WHERE name = ?", name);
    event(EventType.ZONE_REMOVED, name, Map.of());
  }

  public int qubeCount(String zone) {
    return query("SELECT COUNT(*) FROM qubes WHERE zone = ?", rs -> rs.getInt(1), zone).get(0);
  }

  /** How many qubes each zone has (zones without qubes are absent), in one query. */
  public Map<String, Integer> qubeCounts() {
    Map<String, Integer> counts = new java.util.HashMap<>();
    query("SELECT zone, COUNT(*) FROM qubes GROUP BY zone", rs -> counts.put(rs.getString(1), rs.getInt(2)));
    return counts;
  }

  // ---------------------------------------------------------------- enrollment and certificates

  public void insertToken(String tokenHash, String zone, long expiresAt) {
    update("INSERT INTO enrollment_tokens(token_hash, zone, expires_at) VALUES (?,?,?)", tokenHash, zone, expiresAt);
  }

  /** Checks a token and burns it if it is good; a bad token is left as it was. */
  public TokenRedemption redeemToken(String tokenHash, String zone, long nowMillis) {
    List<Object[]> rows = query("SELECT zone, expires_at, used_at FROM enrollment_tokens WHERE token_hash = ?",
        rs -> new Object[] {rs.getString(1), rs.getLong(2), rs.getObject(3)}, tokenHash);
    if (rows.isEmpty()) {
      return TokenRedemption.UNKNOWN;
    }
    Object[] r = rows.get(0);
    if (r[2] != null) {
      return TokenRedemption.USED;
    }
    if (!r[0].equals(zone)) {
      return TokenRedemption.WRONG_ZONE;
    }
    if ((Long) r[1] <= nowMillis) {
      return TokenRedemption.EXPIRED;
    }
    int n = update("UPDATE enrollment_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
        nowMillis, tokenHash);
    return n == 1 ? TokenRedemption.OK : TokenRedemption.USED;
  }

  public void revokeCert(String serial, String zone) {
    update("INSERT OR IGNORE INTO revoked_certs(serial, zone, revoked_at) VALUES (?,?,?)", serial, zone, now);
    event(EventType.CERT_REVOKED, zone, Map.of("serial", serial));
  }

  public boolean isRevoked(String serial) {
    return !query("SELECT 1 FROM revoked_certs WHERE serial = ?", rs -> 1, serial).isEmpty();
  }

  // ---------------------------------------------------------------- qubes

  public List<QubeRow> qubes() {
    return query("SELECT * FROM qubes ORDER BY name", this::qubeRow);
  }

  public Optional<QubeRow> qube(String name) {
    return query("SELECT * FROM qubes WHERE name = ?", this::qubeRow, name).stream().findFirst();
  }

  public QubeRow requireQube(String name) {
    return qube(name).orElseThrow(() -> QairException.notFound(
        "qube '" + name + "' not found: list qubes with `qair qube ls`"));
  }

  public QubeRow insertQube(QubeRow q) {
    if (qube(q.name()).isPresent()) {
      throw QairException.conflict("qube '" + q.name() + "' already exists: choose another name");
    }
    update("INSERT INTO qubes(name, klass, zone, label, template, netvm, memory, vcpus, state, created_at)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?)",
        q.name(), q.klass().name(), q.zone(), q.label().wireName(), q.template(), q.netvm(), q.memory(),
        q.vcpus(), q.state().name(), now);
    Map<String, String> data = new LinkedHashMap<>();
    data.put("klass", q.klass().name());
    data.put("zone", q.zone());
    data.put("label", q.label().wireName());
    event(EventType.QUBE_CREATED, q.name(), data);
    return requireQube(q.name());
  }

  public void deleteQube(String name) {
    QubeRow q = requireQube(name);
    update("DELETE FROM qubes WHERE name = ?", name);
    event(EventType.QUBE_REMOVED, name, Map.of("zone", q.zone()));
  }

  // ---------------------------------------------------------------- store templates per zone

  /** Zone {@code zone}'s template store holds a template {@code name}. */
  public void recordZoneTemplate(String zone, String name) {
    update("INSERT OR IGNORE INTO zone_templates(zone, name) VALUES (?, ?)", zone, name);
  }

  /** Whether zone {@code zone} reported a template {@code name} in its store. */
  public boolean zoneHasTemplate(String zone, String name) {
    return !query("SELECT 1 FROM zone_templates WHERE zone = ? AND name = ?", rs -> 1, zone, name).isEmpty();
  }

  /** Qubes that use {@code name} as their template or net qube. */
  public List<String> dependents(String name) {
    return query("SELECT name FROM qubes WHERE template = ? OR netvm = ? ORDER BY name",
        rs -> rs.getString(1), name, name);
  }

  /** Records a power state; an event only if it changed. */
  public QubeRow setQubeState(String name, QubeState state, String reason) {
    QubeRow q = requireQube(name);
    if (q.state() != state) {
      update("UPDATE qubes SET state = ? WHERE name = ?", state.name(), name);
      Map<String, String> data = new LinkedHashMap<>();
      data.put("state", state.name());
      data.put("previous", q.state().name());
      if (reason != null) {
        data.put("reason", reason);
      }
      event(EventType.QUBE_STATE, name, data);
    }
    return q.withState(state);
  }

  /** Stored properties that have no column ({@code autostart}, ...); defaults are not included. */
  public Map<String, String> storedProperties(String qube) {
    return stringMap("SELECT name, value FROM qube_properties WHERE qube = ? ORDER BY name", qube);
  }

  /** Sets a property: a column of {@code qubes} if it has one, else a row of {@code qube_properties}. */
  public void setProperty(String qube, String name, String value) {
    writeProperty(qube, name, value);
    event(EventType.PROPERTY_SET, qube, Map.of("name", name, "value", value == null ? "" : value));
  }

  /** Resets a property: a column to {@code columnDefault}, other properties by deleting the row. */
  public void resetProperty(String qube, String name, String columnDefault) {
    if (COLUMN_PROPERTIES.contains(name)) {
      writeProperty(qube, name, columnDefault);
    } else {
      requireQube(qube);
      update("DELETE FROM qube_properties WHERE qube = ? AND name = ?", qube, name);
    }
    event(EventType.PROPERTY_RESET, qube, Map.of("name", name));
  }

  private void writeProperty(String qube, String name, String value) {
    requireQube(qube);
    if (COLUMN_PROPERTIES.contains(name)) {
      Object v = value;
      if (name.equals("memory") || name.equals("vcpus")) {
        v = Integer.parseInt(value);
      } else if (value != null && value.isEmpty()) {
        v = null;
      }
      // name is one of the fixed column names above, never user text
      update("UPDATE qubes SET " + name + " = ? WHERE name = ?", v, qube);
    } else {
      update("INSERT INTO qube_properties(qube, name, value) VALUES (?,?,?)"
          + " ON CONFLICT(qube, name) DO UPDATE SET value = excluded.value", qube, name, value);
    }
  }

  // ---------------------------------------------------------------- tags and features

  public List<String> tags(String qube) {
    return query("SELECT tag FROM qube_tags WHERE qube = ? ORDER BY tag", rs -> rs.getString(1), qube);
  }

  /** Adds a tag; returns false (and records nothing) if the qube had it already. */
  public boolean addTag(String qube, String tag) {
    requireQube(qube);
    if (update("INSERT OR IGNORE INTO qube_tags(qube, tag) VALUES (?,?)", qube, tag) == 0) {
      return false;
    }
    event(EventType.TAG_ADDED, qube, Map.of("tag", tag));
    return true;
  }

  public boolean removeTag(String qube, String tag) {
    requireQube(qube);
    if (update("DELETE FROM qube_tags WHERE qube = ? AND tag = ?", qube, tag) == 0) {
      return false;
    }
    event(EventType.TAG_REMOVED, qube, Map.of("tag", tag));
    return true;
  }

  public Map<String, String> features(String qube) {
    return stringMap("SELECT name, value FROM qube_features WHERE qube = ? ORDER BY name", qube);
  }

  public void setFeature(String qube, String name, String value) {
    requireQube(qube);
    update("INSERT INTO qube_features(qube, name, value) VALUES (?,?,?)"
        + " ON CONFLICT(qube, name) DO UPDATE SET value = excluded.value", qube, name, value);
    event(EventType.FEATURE_SET, qube, Map.of("name", name, "value", value));
  }

  public boolean removeFeature(String qube, String name) {
    requireQube(qube);
    if (update("DELETE FROM qube_features WHERE qube = ? AND name = ?", qube, name) == 0) {
      return false;
    }
    event(EventType.FEATURE_REMOVED, qube, Map.of("name", name));
    return true;
  }

  // ---------------------------------------------------------------- events

  /** Records an event in this transaction; it is published after commit. */
  public Event event(String type, String subject, Map<String, String> data) {
    long id = insertReturningId("INSERT INTO events(type, subject, data, ts) VALUES (?,?,?,?)",
        type, subject, toJson(data), now);
    Event e = new Event(id, type, subject, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data)), now);
    events.add(e);
    return e;
  }

  /** Events with an id above {@code afterId}, oldest first, at most {@code limit}. */
  public List<Event> eventsAfter(long afterId, int limit) {
    return query("SELECT id, type, subject, data, ts FROM events WHERE id > ? ORDER BY id LIMIT ?",
        rs -> new Event(rs.getLong(1), rs.getString(2), rs.getString(3), fromJson(rs.getString(4)), rs.getLong(5)),
        afterId, limit);
  }

  public long lastEventId() {
    return query("SELECT COALESCE(MAX(id), 0) FROM events", rs -> rs.getLong(1)).get(0);
  }

  void trimEvents(int keep) {
    update("DELETE FROM events WHERE id <= (SELECT MAX(id) FROM events) - ?", keep);
  }

  // ---------------------------------------------------------------- JDBC plumbing

  @FunctionalInterface
  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private ZoneRow zoneRow(ResultSet rs) throws SQLException {
    return new ZoneRow(rs.getString("name"), rs.getString("provider"), rs.getString("region"),
        ZoneState.valueOf(rs.getString("state")), rs.getString("address"), rs.getString("reason"),
        fromJson(rs.getString("options")), rs.getString("cert_serial"), rs.getString("step"),
        rs.getLong("created_at"), rs.getLong("updated_at"));
  }

  private QubeRow qubeRow(ResultSet rs) throws SQLException {
    return new QubeRow(rs.getString("name"), QubeClass.valueOf(rs.getString("klass")), rs.getString("zone"),
        Label.parse(rs.getString("label")), rs.getString("template"), rs.getString("netvm"),
        rs.getInt("memory"), rs.getInt("vcpus"), QubeState.valueOf(rs.getString("state")),
        rs.getLong("created_at"));
  }

  private Map<String, String> stringMap(String sql, Object... args) {
    Map<String, String> out = new LinkedHashMap<>();
    query(sql, rs -> out.put(rs.getString(1), rs.getString(2)), args);
    return out;
  }

  private <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw Store.translate(e);
    }
  }

  private int update(String sql, Object... args) {
    checkWritable();
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw Store.translate(e);
    }
  }

  private long insertReturningId(String sql, Object... args) {
    checkWritable();
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      bind(ps, args);
      ps.executeUpdate();
      try (ResultSet rs = conn.createStatement().executeQuery("SELECT last_insert_rowid()")) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw Store.translate(e);
    }
  }

  private void checkWritable() {
    if (readOnly) {
      throw new IllegalStateException("write inside Store.read: use Store.write");
    }
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }

  private String toJson(Map<String, String> map) {
    try {
      return json.writeValueAsString(map == null ? Map.of() : map);
    } catch (JsonProcessingException e) {
      throw new QairException(ErrorKind.INTERNAL, "cannot encode JSON", e);
    }
  }

  private Map<String, String> fromJson(String text) {
    try {
      return text == null ? Map.of() : json.readValue(text, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new QairException(ErrorKind.INTERNAL, "corrupt JSON in the database", e);
    }
  }
}
