package io.qair.desktop.tunnel;

import java.util.List;

/** Strict parsing of untrusted instruction arguments; every failure is {@code null} or -1 for "drop". */
final class Args {
  private Args() {}

  /** A decimal int in [min, max] (optional '-', 1-10 digits, nothing else), or null. */
  static Integer integer(String untrusted, long min, long max) {
    if (untrusted == null || untrusted.isEmpty() || untrusted.length() > 11) {
      return null;
    }
    int start = untrusted.charAt(0) == '-' ? 1 : 0;
    if (start == untrusted.length()) {
      return null;
    }
    long v = 0;
    for (int i = start; i < untrusted.length(); i++) {
      char c = untrusted.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      v = v * 10 + (c - '0');
    }
    v = start == 1 ? -v : v;
    return v < min || v > max ? null : (int) v;
  }

  /** Digits only, 1-20 of them (a Guacamole timestamp), or null. */
  static String timestamp(String untrusted) {
    if (untrusted == null || untrusted.isEmpty() || untrusted.length() > 20) {
      return null;
    }
    for (int i = 0; i < untrusted.length(); i++) {
      char c = untrusted.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    return untrusted;
  }

  /** Standard base64: alphabet only, length a multiple of 4, at most two '=' and only at the end. */
  static boolean base64(String untrusted) {
    int n = untrusted.length();
    if (n == 0 || n % 4 != 0) {
      return false;
    }
    int pad = untrusted.charAt(n - 1) == '=' ? (untrusted.charAt(n - 2) == '=' ? 2 : 1) : 0;
    for (int i = 0; i < n - pad; i++) {
      char c = untrusted.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  static String str(int v) {
    return Integer.toString(v);
  }

  static boolean count(List<String> args, int n) {
    return args.size() == n;
  }
}
