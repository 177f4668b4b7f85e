-- The master's state, as fixed in docs/dev/contracts.md. Never edit an applied migration: add V2__...
CREATE TABLE zones(name TEXT PRIMARY KEY, provider TEXT NOT NULL, region TEXT, state TEXT NOT NULL,
  address TEXT, reason TEXT, options TEXT NOT NULL DEFAULT '{}', cert_serial TEXT, step TEXT,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE enrollment_tokens(token_hash TEXT PRIMARY KEY, zone TEXT NOT NULL,
  expires_at INTEGER NOT NULL, used_at INTEGER);
CREATE TABLE revoked_certs(serial TEXT PRIMARY KEY, zone TEXT NOT NULL, revoked_at INTEGER NOT NULL);
CREATE TABLE qubes(name TEXT PRIMARY KEY, klass TEXT NOT NULL, zone TEXT NOT NULL REFERENCES zones(name),
  label TEXT NOT NULL, template TEXT REFERENCES qubes(name), netvm TEXT, memory INTEGER NOT NULL,
  vcpus INTEGER NOT NULL, state TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE qube_properties(qube TEXT NOT NULL REFERENCES qubes(name) ON DELETE CASCADE, name TEXT NOT NULL,
  value TEXT NOT NULL, PRIMARY KEY(qube, name));
CREATE TABLE qube_tags(qube TEXT NOT NULL REFERENCES qubes(name) ON DELETE CASCADE, tag TEXT NOT NULL,
  PRIMARY KEY(qube, tag));
CREATE TABLE qube_features(qube TEXT NOT NULL REFERENCES qubes(name) ON DELETE CASCADE, name TEXT NOT NULL,
  value TEXT NOT NULL, PRIMARY KEY(qube, name));
CREATE TABLE events(id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, subject TEXT NOT NULL,
  data TEXT NOT NULL, ts INTEGER NOT NULL);
CREATE INDEX qubes_zone ON qubes(zone);
CREATE INDEX qubes_template ON qubes(template);
CREATE INDEX qubes_netvm ON qubes(netvm);
