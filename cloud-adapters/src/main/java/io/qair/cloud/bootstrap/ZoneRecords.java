package io.qair.cloud.bootstrap;

import io.qair.protocol.pki.SecureFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where a cloud adapter remembers, per zone, what it needs to find the zone's resources again
 * (region, project, master id): {@code STATE_DIR/ZONE.properties}. Written before the first cloud
 * call of a provision, removed after deprovision, so {@code describe}, {@code deprovision} and
 * {@code discover} know where to look after a master restart.
 */
public final class ZoneRecords {
  private final Path dir;

  public ZoneRecords(Path dir) {
    this.dir = SecureFiles.ownerOnlyDir(dir);
  }

  public synchronized void put(String zone, Map<String, String> values) {
    Properties p = new Properties();
    p.putAll(values);
    StringWriter w = new StringWriter();
    try {
      p.store(w, "qair cloud adapter record for zone " + zone);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SecureFiles.writePrivate(file(zone), w.toString());
  }

  public synchronized Optional<Map<String, String>> get(String zone) {
    Path f = file(zone);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> m = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return Optional.of(m);
  }

  public synchronized void remove(String zone) {
    try {
      Files.deleteIfExists(file(zone));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every recorded zone's values. */
  public synchronized List<Map<String, String>> all() {
    List<Map<String, String>> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".properties")).sorted()
          .forEach(n -> get(n.substring(0, n.length() - ".properties".length())).ifPresent(out::add));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private Path file(String zone) {
    return dir.resolve(io.qair.protocol.Names.requireZoneName(zone) + ".properties");
  }
}
