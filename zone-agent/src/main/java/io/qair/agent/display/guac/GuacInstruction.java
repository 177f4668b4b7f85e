package io.qair.agent.display.guac;

import java.util.List;

/**
 * One Guacamole protocol instruction: an opcode and its arguments, written as
 * {@code LENGTH.VALUE,LENGTH.VALUE;} where each length counts Unicode code points.
 */
public record GuacInstruction(String opcode, List<String> args) {
  public GuacInstruction {
    if (opcode == null || opcode.isEmpty()) {
      throw new IllegalArgumentException("an instruction needs an opcode");
    }
    args = List.copyOf(args);
  }

  public static GuacInstruction of(String opcode, Object... args) {
    String[] s = new String[args.length];
    for (int i = 0; i < args.length; i++) {
      s[i] = String.valueOf(args[i]);
    }
    return new GuacInstruction(opcode, List.of(s));
  }

  public String arg(int i) {
    return args.get(i);
  }

  /** The wire form. */
  public String encode() {
    StringBuilder b = new StringBuilder(16 + opcode.length() + args.size() * 8);
    appendTo(b);
    return b.toString();
  }

  public void appendTo(StringBuilder b) {
    element(b, opcode);
    for (String a : args) {
      b.append(',');
      element(b, a);
    }
    b.append(';');
  }

  private static void element(StringBuilder b, String value) {
    b.append(value.codePointCount(0, value.length())).append('.').append(value);
  }

  @Override
  public String toString() {
    return encode();
  }
}
