package io.qair.desktop.tunnel;

import java.util.ArrayList;
import java.util.List;
import org.apache.guacamole.GuacamoleException;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.apache.guacamole.protocol.GuacamoleParser;

/**
 * Guacamole instructions in and out of WebSocket text messages, with guacamole-common's parser
 * (elements of at most {@value GuacamoleParser#INSTRUCTION_MAX_LENGTH} code points, at most
 * {@value GuacamoleParser#INSTRUCTION_MAX_ELEMENTS} elements, lengths in code points). One
 * message must hold whole instructions only: a message that ends inside one is malformed.
 */
public final class GuacamoleCodec {
  private GuacamoleCodec() {}

  /**
   * Every instruction of one message, in order.
   *
   * @throws MalformedInstructionException when the message is not a sequence of whole, valid
   *     instructions, or holds more than {@code maxInstructions}
   */
  public static List<GuacamoleInstruction> parse(String untrustedMessage, int maxInstructions) {
    char[] chars = untrustedMessage.toCharArray();
    GuacamoleParser parser = new GuacamoleParser();
    List<GuacamoleInstruction> out = new ArrayList<>();
    int offset = 0;
    int lastComplete = 0;
    try {
      int n;
      while (offset < chars.length && (n = parser.append(chars, offset, chars.length - offset)) != 0) {
        offset += n;
        if (parser.hasNext()) {
          if (out.size() == maxInstructions) {
            throw new MalformedInstructionException("more than " + maxInstructions + " instructions in one message");
          }
          // the parser's instruction is a view of its own buffer, overwritten by the next one: copy
          GuacamoleInstruction view = parser.next();
          out.add(new GuacamoleInstruction(view.getOpcode(), List.copyOf(view.getArgs())));
          lastComplete = offset;
        }
      }
    } catch (GuacamoleException e) {
      throw new MalformedInstructionException(e.getMessage());
    }
    if (lastComplete != chars.length) {
      throw new MalformedInstructionException("the message ends inside an instruction");
    }
    return out;
  }

  /** The wire form: {@code LEN.VALUE,...;} with lengths in code points. */
  public static String encode(GuacamoleInstruction instruction) {
    return instruction.toString();
  }

  public static String encode(String opcode, String... args) {
    return new GuacamoleInstruction(opcode, args).toString();
  }
}
