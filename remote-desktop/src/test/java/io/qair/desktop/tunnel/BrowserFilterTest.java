package io.qair.desktop.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.junit.jupiter.api.Test;

/** Page-to-agent filtering on literal wire text. */
class BrowserFilterTest {
  private static final Set<Integer> WINDOWS = Set.of(1, 7);

  private static String run(String wire) {
    StringBuilder out = new StringBuilder();
    for (GuacamoleInstruction i : GuacamoleCodec.parse(wire, 100)) {
      GuacamoleInstruction ok = BrowserFilter.filter(i, WINDOWS::contains);
      if (ok != null) {
        out.append(ok);
      }
    }
    return out.toString();
  }

  @Test
  void inputPasses() {
    assertThat(run("3.key,5.65307,1.1;")).isEqualTo("3.key,5.65307,1.1;");
    assertThat(run("10.qair-mouse,1.7,3.-10,3.200,2.17;")).isEqualTo("10.qair-mouse,1.7,3.-10,3.200,2.17;");
    assertThat(run("10.qair-focus,1.1;11.qair-resize,1.1,3.800,3.600;10.qair-close,1.7;4.sync,3.123;"))
        .isEqualTo("10.qair-focus,1.1;11.qair-resize,1.1,3.800,3.600;10.qair-close,1.7;4.sync,3.123;");
  }

  @Test
  void everythingElseIsDropped() {
    for (String wire : new String[] {
        "18.qair-clipboard-set,4.evil;", "18.qair-clipboard-get;", "14.qair-clipboard,1.x;",
        "5.mouse,1.1,1.1,1.1;", "4.size,1.1,1.1,1.1;", "3.img,1.1,2.14,1.1,9.image/png,1.0,1.0;", "3.key,2.65;",
        "3.key,2.65,1.2;", "3.key,10.4294967295,1.1;", "10.qair-mouse,1.2,1.1,1.1,1.0;", // not a window
        "10.qair-mouse,1.1,6.999999,1.1,1.0;", "10.qair-mouse,1.1,1.1,1.1,2.32;", "11.qair-resize,1.1,1.0,1.5;",
        "11.qair-resize,1.1,5.20000,1.5;", "10.qair-focus,1.0;", "10.qair-close,2.-1;", "4.sync,2.-1;",
        "4.sync,21.123456789012345678901;", "10.disconnect;", "4.args,5.1.5.0;"}) {
      assertThat(run(wire)).as(wire).isEmpty();
    }
  }
}
