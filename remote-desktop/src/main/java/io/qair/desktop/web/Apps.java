package io.qair.desktop.web;

import io.qair.desktop.tunnel.UntrustedText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A qube's application menu as the master lists it ({@code GET /api/v1/qubes/{qube}/apps}: objects
 * with {@code id}, {@code name} and the command as {@code argv}, {@code exec} or {@code command},
 * an array of strings or one string; {@code %f}-style field codes are dropped). Anything
 * malformed is skipped. When the master has no such route the menu is {@link #FALLBACK}.
 */
record Apps(List<App> apps, boolean fallback) {
  static final int MAX_APPS = 500;
  static final Apps FALLBACK = new Apps(List.of(new App("xterm", "XTerm", List.of("xterm"))), true);

  record App(String id, String name, List<String> argv) {
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("name", name);
    }
  }

  static Apps parse(JsonArray untrusted) {
    if (untrusted == null) {
      return FALLBACK;
    }
    List<App> out = new ArrayList<>();
    for (Object o : untrusted) {
      if (out.size() == MAX_APPS) {
        break;
      }
      if (o instanceof JsonObject j) {
        App a = app(j);
        if (a != null) {
          out.add(a);
        }
      }
    }
    return new Apps(out, false);
  }

  App find(String id) {
    for (App a : apps) {
      if (a.id().equals(id)) {
        return a;
      }
    }
    return null;
  }

  JsonObject toJson() {
    JsonArray list = new JsonArray();
    apps.forEach(a -> list.add(a.toJson()));
    return new JsonObject().put("apps", list).put("fallback", fallback);
  }

  private static App app(JsonObject j) {
    String name = j.getValue("name") instanceof String n ? UntrustedText.clean(n, 128) : null;
    String id = j.getValue("id") instanceof String i && !i.isEmpty() && i.length() <= 256 ? i : name;
    List<String> argv = argv(j.getValue("argv") != null ? j.getValue("argv")
        : j.getValue("exec") != null ? j.getValue("exec") : j.getValue("command"));
    if (name == null || name.isEmpty() || id == null || argv == null || argv.isEmpty()) {
      return null;
    }
    return new App(id, name, argv);
  }

  private static List<String> argv(Object untrusted) {
    List<String> out = new ArrayList<>();
    if (untrusted instanceof JsonArray a) {
      for (Object o : a) {
        if (!(o instanceof String s) || s.length() > 4096) {
          return null;
        }
        out.add(s);
      }
    } else if (untrusted instanceof String s && s.length() <= 4096) {
      for (String t : s.strip().split("\\s+")) {
        if (!t.isEmpty() && !(t.length() == 2 && t.charAt(0) == '%')) {
          out.add(t);
        }
      }
    } else {
      return null;
    }
    return out.size() > 256 ? null : out;
  }
}
