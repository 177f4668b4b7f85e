package io.qair.terraform.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.qair.terraform.Unknown;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Small conversions between decoded Terraform values and Admin API JSON. */
final class Values {
  private Values() {}

  static String str(Map<String, Object> v, String key) {
    Object o = v == null ? null : v.get(key);
    return o instanceof String s ? s : null;
  }

  static Long num(Map<String, Object> v, String key) {
    Object o = v == null ? null : v.get(key);
    return o instanceof Number n ? n.longValue() : null;
  }

  static boolean known(Object o) {
    return !Unknown.is(o);
  }

  /** A set or list of strings; empty for null. */
  static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof Collection<?> c) {
      for (Object e : c) {
        out.add(String.valueOf(e));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, String> stringMap(Object o) {
    Map<String, String> out = new TreeMap<>();
    if (o instanceof Map<?, ?> m) {
      ((Map<String, Object>) m).forEach((k, v) -> out.put(k, String.valueOf(v)));
    }
    return out;
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static List<String> sortedStrings(JsonNode array) {
    TreeSet<String> out = new TreeSet<>();
    if (array != null) {
      array.forEach(e -> out.add(e.asText()));
    }
    return new ArrayList<>(out);
  }

  static Map<String, Object> objectMap(JsonNode obj) {
    Map<String, Object> out = new TreeMap<>();
    if (obj != null) {
      obj.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  /**
   * An empty collection the user left out (null in {@code prior}) stays null, so a qube
   * without tags does not show a change from null to [].
   */
  static Object keepNullWhenEmpty(Object prior, Object now) {
    boolean empty = now instanceof Collection<?> c ? c.isEmpty() : now instanceof Map<?, ?> m && m.isEmpty();
    return prior == null && empty ? null : now;
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
