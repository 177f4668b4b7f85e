package io.qair.controlplane.policy;

import io.qair.protocol.Names;
import io.qair.protocol.QairException;
import java.util.EnumSet;
import java.util.Set;

/**
 * A qube specification in a rule ({@code @anyvm}, {@code @tag:work}, a qube name...) or the target
 * a caller asked for. {@code value} is what follows the keyword (the tag, the type, the qube name),
 * or empty for exact keywords.
 */
record Token(Kind kind, String value) {
  /** The name of the master qube; {@code dom0} in a policy file means {@code @adminvm}. */
  static final String ADMIN_NAME = "dom0";

  static final Token ANYVM = new Token(Kind.ANYVM, "");
  static final Token ADMINVM = new Token(Kind.ADMINVM, "");
  static final Token DEFAULT = new Token(Kind.DEFAULT, "");
  static final Token DISPVM = new Token(Kind.DISPVM, "");

  enum Kind {
    ANYVM("@anyvm"),
    ADMINVM("@adminvm"),
    DEFAULT("@default"),
    DISPVM("@dispvm"),
    DISPVM_TAG("@dispvm:@tag:"),
    DISPVM_TEMPLATE("@dispvm:"),
    TAG("@tag:"),
    TYPE("@type:"),
    ZONE("@zone:"),
    NAME("");

    final String keyword;

    Kind(String keyword) {
      this.keyword = keyword;
    }

    boolean isPrefix() {
      return keyword.endsWith(":");
    }
  }

  /** Where a token stands, which decides what it may be. */
  enum Context {
    SOURCE("source", EnumSet.of(Kind.NAME, Kind.ADMINVM, Kind.ANYVM, Kind.TAG, Kind.TYPE, Kind.ZONE,
        Kind.DISPVM_TEMPLATE, Kind.DISPVM_TAG),
        "a qube name, @adminvm, @anyvm, @tag:TAG, @type:TYPE, @zone:ZONE, @dispvm:NAME or"
            + " @dispvm:@tag:TAG"),
    TARGET("target", EnumSet.allOf(Kind.class),
        "a qube name, @adminvm, @anyvm, @default, @dispvm, @dispvm:NAME, @dispvm:@tag:TAG,"
            + " @tag:TAG, @type:TYPE or @zone:ZONE"),
    REDIRECT("target= value", EnumSet.of(Kind.NAME, Kind.ADMINVM, Kind.DISPVM,
        Kind.DISPVM_TEMPLATE), "a qube name, @adminvm, @dispvm or @dispvm:NAME"),
    DEFAULT_TARGET("default_target= value", REDIRECT.allowed, REDIRECT.hint);

    final String what;
    final Set<Kind> allowed;
    final String hint;

    Context(String what, Set<Kind> allowed, String hint) {
      this.what = what;
      this.allowed = allowed;
      this.hint = hint;
    }
  }

  /** Qube types accepted by {@code @type:}; {@code AdminVM} is accepted but never matches. */
  static final Set<String> TYPES =
      Set.of("AppVM", "TemplateVM", "DispVM", "StandaloneVM", "AdminVM");

  /**
   * Parses one token of a policy line.
   *
   * @throws IllegalArgumentException with the reason, ready to follow {@code FILE:LINE: }
   */
  static Token parse(String text, Context context) {
    String shown = Names.printable(text);
    String prefix = "invalid " + context.what + " '" + shown + "': ";
    if (text.isEmpty()) {
      throw new IllegalArgumentException(prefix + "empty");
    }
    Token token;
    if (text.startsWith("@")) {
      token = keyword(text, prefix);
    } else if (text.equals(ADMIN_NAME)) {
      token = ADMINVM;
    } else {
      token = new Token(Kind.NAME, check(text, Kind.NAME, prefix));
    }
    if (!context.allowed.contains(token.kind)) {
      throw new IllegalArgumentException(prefix + "not allowed here; use " + context.hint);
    }
    return token;
  }

  private static Token keyword(String text, String prefix) {
    for (Kind k : Kind.values()) {
      if (k == Kind.NAME) {
        continue;
      }
      if (!k.isPrefix() && text.equals(k.keyword)) {
        return new Token(k, "");
      }
      if (k.isPrefix() && text.startsWith(k.keyword)) {
        String rest = text.substring(k.keyword.length());
        if (rest.isEmpty()) {
          throw new IllegalArgumentException(prefix + "nothing after '" + k.keyword + "'");
        }
        if (k == Kind.DISPVM_TEMPLATE && rest.startsWith("@")) {
          break; // @dispvm:@something other than @tag:
        }
        return new Token(k, check(rest, k, prefix));
      }
    }
    throw new IllegalArgumentException(prefix + "unknown keyword");
  }

  private static String check(String value, Kind kind, String prefix) {
    try {
      switch (kind) {
        case TAG, DISPVM_TAG -> Names.requireTag(value);
        case ZONE -> Names.requireZoneName(value);
        case TYPE -> {
          if (!TYPES.contains(value)) {
            throw new IllegalArgumentException(
                prefix + "a type is AppVM, TemplateVM, DispVM, StandaloneVM or AdminVM");
          }
        }
        default -> Names.requireQubeName(value);
      }
    } catch (QairException e) {
      throw new IllegalArgumentException(prefix + reasonOf(kind));
    }
    return value;
  }

  private static String reasonOf(Kind kind) {
    return switch (kind) {
      case TAG, DISPVM_TAG -> "a tag is 1-64 letters, digits, '_' or '-'";
      case ZONE -> "a zone name starts with a lower-case letter, uses only lower-case letters,"
          + " digits and '-', and is at most 31 characters";
      default -> "a qube name starts with a letter, uses only letters, digits, '_', '.' and '-',"
          + " is at most 31 characters, and is not 'none' or 'default'";
    };
  }

  /** As written in a policy file. */
  @Override
  public String toString() {
    return kind == Kind.NAME ? value : kind.keyword + value;
  }
}
