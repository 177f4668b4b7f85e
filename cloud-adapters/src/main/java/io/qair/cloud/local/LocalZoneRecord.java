package io.qair.cloud.local;

import io.qair.protocol.pki.SecureFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * What the local adapter remembers about one zone, in {@code ZONE_DIR/local-zone.properties}, so
 * that a restarted master finds (and can stop) the agent process it started.
 *
 * @param pid the agent's process id, or 0 when it is not running
 * @param port the agent's last listening port, or 0
 */
record LocalZoneRecord(String zone, String masterId, long pid, int port) {
  static final String FILE = "local-zone.properties";

  static Optional<LocalZoneRecord> read(Path zoneDir) {
    Path f = zoneDir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try {
      p.load(new StringReader(SecureFiles.read(f)));
      return Optional.of(new LocalZoneRecord(p.getProperty("zone"), p.getProperty("master"),
          Long.parseLong(p.getProperty("pid", "0")), Integer.parseInt(p.getProperty("port", "0"))));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  void write(Path zoneDir) {
    Properties p = new Properties();
    p.setProperty("zone", zone);
    p.setProperty("master", masterId);
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("port", Integer.toString(port));
    StringWriter w = new StringWriter();
    try {
      p.store(w, "qair local zone: written by the master, do not edit");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SecureFiles.writePrivate(zoneDir.resolve(FILE), w.toString());
  }

  LocalZoneRecord withProcess(long newPid, int newPort) {
    return new LocalZoneRecord(zone, masterId, newPid, newPort);
  }
}
