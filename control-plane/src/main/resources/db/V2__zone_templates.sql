-- Which zones hold which store template (by name). A template is one TemplateVM qube (in the first
-- zone that registered it, the default zone first); qubes of every zone listed here may use it,
-- each zone running its own copy.
CREATE TABLE zone_templates(zone TEXT NOT NULL REFERENCES zones(name) ON DELETE CASCADE, name TEXT NOT NULL,
  PRIMARY KEY(zone, name));
