package io.qair.desktop.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.guacamole.protocol.GuacamoleInstruction;

/**
 * A hostile browser and a hostile qube, fuzzed with Jazzer. Whatever arrives, parsing either yields
 * whole instructions or a {@link MalformedInstructionException}, and what the filters let through
 * is only the documented opcodes, with canonical numbers, that survive a round trip on the wire; a
 * title is always clean and short; the clipboard never passes. Runs its stored inputs as a plain
 * test; fuzzes with {@code JAZZER_FUZZ=1}.
 */
class InstructionFuzzTest {
  static final Set<String> TO_AGENT = Set.of("sync", "key", "qair-mouse", "qair-focus", "qair-resize", "qair-close");
  static final Set<String> TO_PAGE = Set.of("size", "img", "blob", "end", "copy", "cursor", "dispose", "sync",
      "qair-window", "qair-unmap", "qair-error");
  static final String[] OPCODES = {"sync", "key", "qair-mouse", "qair-focus", "qair-resize", "qair-close", "size", "img",
      "blob", "end", "copy", "cursor", "dispose", "qair-window", "qair-unmap", "qair-error", "qair-clipboard",
      "qair-clipboard-set", "qair-clipboard-get", "mouse", "", "nop"};

  @FuzzTest(maxDuration = "10s")
  void aHostileBrowser(FuzzedDataProvider data) {
    String message = data.consumeBoolean() ? structured(data) : data.consumeRemainingAsString();
    List<GuacamoleInstruction> parsed;
    try {
      parsed = GuacamoleCodec.parse(message, TunnelLimits.BROWSER_INSTRUCTIONS);
    } catch (MalformedInstructionException e) {
      return;
    }
    for (GuacamoleInstruction i : parsed) {
      GuacamoleInstruction ok = BrowserFilter.filter(i, layer -> layer % 2 == 1);
      if (ok != null) {
        assertThat(TO_AGENT).contains(ok.getOpcode());
        roundTrips(ok);
      }
    }
  }

  @FuzzTest(maxDuration = "10s")
  void aHostileQube(FuzzedDataProvider data) {
    AgentFilter filter = new AgentFilter();
    while (data.remainingBytes() > 0) {
      String message = data.consumeBoolean() ? structured(data) : data.consumeString(4096);
      List<GuacamoleInstruction> parsed;
      try {
        parsed = GuacamoleCodec.parse(message, TunnelLimits.AGENT_INSTRUCTIONS);
      } catch (MalformedInstructionException e) {
        continue;
      }
      for (GuacamoleInstruction i : parsed) {
        GuacamoleInstruction ok = filter.filter(i);
        if (ok == null) {
          continue;
        }
        assertThat(TO_PAGE).contains(ok.getOpcode());
        roundTrips(ok);
        if (ok.getOpcode().equals("qair-window")) {
          String title = ok.getArgs().get(5);
          assertThat(title.codePointCount(0, title.length())).isLessThanOrEqualTo(TunnelLimits.TITLE);
          assertThat(title.codePoints()).noneMatch(cp -> Character.getType(cp) == Character.CONTROL
              || Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.SURROGATE);
        }
      }
    }
  }

  /** An instruction of a known opcode with fuzzed arguments: reaches the filters' inner checks. */
  private static String structured(FuzzedDataProvider data) {
    String opcode = data.pickValue(OPCODES);
    int n = data.consumeInt(0, 8);
    List<String> args = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      args.add(data.consumeBoolean() ? Integer.toString(data.consumeInt(-20, 20000)) : data.consumeString(64));
    }
    return new GuacamoleInstruction(opcode, args).toString();
  }

  private static void roundTrips(GuacamoleInstruction ok) {
    String wire = GuacamoleCodec.encode(ok);
    List<GuacamoleInstruction> again = GuacamoleCodec.parse(wire, 1);
    assertThat(again).hasSize(1);
    assertThat(again.get(0).getOpcode()).isEqualTo(ok.getOpcode());
    assertThat(again.get(0).getArgs()).isEqualTo(ok.getArgs());
    // every number but the opaque sync timestamp is re-encoded from its value
    List<String> args = ok.getArgs();
    for (int k = 0; k < args.size(); k++) {
      boolean text = switch (ok.getOpcode()) {
        case "sync", "qair-error" -> true;
        case "blob" -> k == 1;
        case "img" -> k == 3;
        case "qair-window" -> k == 1 || k == 5;
        default -> false;
      };
      if (!text) {
        assertThat(args.get(k)).isEqualTo(Long.toString(Long.parseLong(args.get(k))));
      }
    }
  }
}
