package io.qair.agent.display.guac;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses Guacamole instructions from untrusted text, bounded: at most {@code maxElements} elements
 * per instruction and {@code maxLength} code points in one instruction. Text may arrive in any
 * pieces; {@link #feed} returns the instructions completed so far and keeps the rest.
 */
public final class GuacParser {
  private final int maxElements;
  private final int maxLength;
  private final StringBuilder buffer = new StringBuilder();
  private final List<String> elements = new ArrayList<>();
  private int pos;
  private int instructionLength;

  public GuacParser(int maxElements, int maxLength) {
    this.maxElements = maxElements;
    this.maxLength = maxLength;
  }

  /** Appends {@code untrustedText} and returns every instruction it completes. */
  public List<GuacInstruction> feed(String untrustedText) {
    buffer.append(untrustedText);
    List<GuacInstruction> out = new ArrayList<>();
    while (true) {
      int dot = indexOf('.', pos);
      if (dot < 0) {
        if (buffer.length() - pos > 10) {
          throw new GuacProtocolException("an element length is longer than 10 digits");
        }
        break;
      }
      int len = parseLength(pos, dot);
      instructionLength += len + (dot - pos) + 2;
      if (instructionLength > maxLength) {
        throw new GuacProtocolException("an instruction is longer than " + maxLength + " characters");
      }
      int start = dot + 1;
      int end = offsetByCodePoints(start, len);
      if (end < 0 || end >= buffer.length()) {
        instructionLength -= len + (dot - pos) + 2; // counted again when the rest arrives
        break;
      }
      elements.add(buffer.substring(start, end));
      if (elements.size() > maxElements) {
        throw new GuacProtocolException("an instruction has more than " + maxElements + " elements");
      }
      char term = buffer.charAt(end);
      pos = end + 1;
      if (term == ';') {
        out.add(new GuacInstruction(elements.get(0), elements.subList(1, elements.size())));
        elements.clear();
        instructionLength = 0;
      } else if (term != ',') {
        throw new GuacProtocolException("an element is followed by '" + printable(term) + "', not ',' or ';'");
      }
    }
    buffer.delete(0, pos);
    pos = 0;
    return out;
  }

  /** True when no partial instruction is pending. */
  public boolean idle() {
    return buffer.length() == 0 && elements.isEmpty();
  }

  private int indexOf(char c, int from) {
    int limit = Math.min(buffer.length(), from + 11);
    for (int i = from; i < limit; i++) {
      char ch = buffer.charAt(i);
      if (ch == c) {
        return i;
      }
      if (ch < '0' || ch > '9') {
        throw new GuacProtocolException("an element length has '" + printable(ch) + "' in it");
      }
    }
    return -1;
  }

  private int parseLength(int from, int dot) {
    if (dot == from) {
      throw new GuacProtocolException("an element has no length");
    }
    long n = 0;
    for (int i = from; i < dot; i++) {
      char c = buffer.charAt(i);
      if (c < '0' || c > '9') {
        throw new GuacProtocolException("an element length has '" + printable(c) + "' in it");
      }
      n = n * 10 + (c - '0');
    }
    if (n > maxLength) {
      throw new GuacProtocolException("an element is longer than " + maxLength + " characters");
    }
    if (elements.isEmpty() && n == 0) {
      throw new GuacProtocolException("an instruction has an empty opcode");
    }
    return (int) n;
  }

  /** The char index {@code codePoints} code points after {@code start}, or -1 if not all here yet. */
  private int offsetByCodePoints(int start, int codePoints) {
    int i = start;
    for (int n = 0; n < codePoints; n++) {
      if (i >= buffer.length()) {
        return -1;
      }
      char c = buffer.charAt(i++);
      if (Character.isHighSurrogate(c)) {
        if (i >= buffer.length()) {
          return -1;
        }
        if (Character.isLowSurrogate(buffer.charAt(i))) {
          i++;
        }
      }
    }
    return i;
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
  }
}
