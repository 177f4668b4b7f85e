package io.qair.desktop.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.guacamole.protocol.GuacamoleInstruction;
import org.junit.jupiter.api.Test;

/** Agent-to-page filtering on literal wire text. */
class AgentFilterTest {
  private final AgentFilter filter = new AgentFilter();

  private String run(String wire) {
    StringBuilder out = new StringBuilder();
    for (GuacamoleInstruction i : GuacamoleCodec.parse(wire, 1000)) {
      GuacamoleInstruction ok = filter.filter(i);
      if (ok != null) {
        out.append(ok);
      }
    }
    return out.toString();
  }

  @Test
  void aWindowIsSizedDrawnAndDisposed() {
    assertThat(run("4.size,1.1,3.640,3.480;")).isEqualTo("4.size,1.1,3.640,3.480;");
    assertThat(run("11.qair-window,1.1,6.normal,1.0,1.0,1.0,5.xterm;"))
        .isEqualTo("11.qair-window,1.1,6.normal,1.0,1.0,1.0,5.xterm;");
    assertThat(run("3.img,1.3,2.14,1.1,9.image/png,1.0,2.10;4.blob,1.3,8.iVBORw0K;3.end,1.3;"))
        .isEqualTo("3.img,1.3,2.14,1.1,9.image/png,1.0,2.10;4.blob,1.3,8.iVBORw0K;3.end,1.3;");
    assertThat(run("4.copy,1.1,1.0,2.16,3.640,3.464,2.12,1.1,1.0,1.0;"))
        .isEqualTo("4.copy,1.1,1.0,2.16,3.640,3.464,2.12,1.1,1.0,1.0;");
    assertThat(run("3.img,1.4,2.14,2.-1,9.image/png,1.0,1.0;3.end,1.4;6.cursor,1.1,1.1,2.-1,1.0,1.0,2.16,2.16;"))
        .isEqualTo("3.img,1.4,2.14,2.-1,9.image/png,1.0,1.0;3.end,1.4;6.cursor,1.1,1.1,2.-1,1.0,1.0,2.16,2.16;");
    assertThat(run("10.qair-unmap,1.1;7.dispose,1.1;4.sync,13.1700000000000;"))
        .isEqualTo("10.qair-unmap,1.1;7.dispose,1.1;4.sync,13.1700000000000;");
    assertThat(run("3.img,1.5,2.14,1.1,9.image/png,1.0,1.0;")).as("disposed").isEmpty();
  }

  @Test
  void hostileInstructionsAreDropped() {
    run("4.size,1.3,2.20,2.20;");
    List<String> dropped = new ArrayList<>(List.of(
        "14.qair-clipboard,6.secret;",
        "18.qair-clipboard-set,1.x;",
        "4.rect,1.0,1.0,1.0,2.10,2.10;",
        "4.size,1.0,4.4000,4.4000;",           // the root layer
        "4.size,1.4,5.99999,1.1;",             // too large
        "4.size,3.-99,1.1,1.1;",               // not a buffer we allow
        "3.img,1.1,2.14,1.9,9.image/png,1.0,1.0;", // never sized
        "3.img,1.1,2.14,1.3,9.text/html,1.0,1.0;",
        "3.img,1.1,2.14,1.3,9.image/png,2.+5,1.0;",
        "4.blob,2.77,4.AAAA;",                 // no such stream
        "4.copy,1.3,1.0,1.0,1.5,1.5,2.12,1.4,1.0,1.0;", // into another layer
        "6.cursor,1.0,1.0,1.3,1.0,1.0,1.8,1.8;",      // from a window, not a buffer
        "6.cursor,1.0,1.0,2.-1,1.0,1.0,4.9999,1.8;",  // huge cursor
        "4.sync,3.abc;",
        "11.qair-window,1.8,6.normal,1.0,1.0,1.0,1.t;",   // never sized
        "11.qair-window,1.3,5.weird,1.0,1.0,1.0,1.t;",
        "7.dispose,1.0;"));
    for (String wire : dropped) {
      assertThat(run(wire)).as(wire).isEmpty();
    }
  }

  @Test
  void aBlobMustBeBase64() {
    run("4.size,1.3,2.20,2.20;3.img,1.1,2.14,1.3,9.image/png,1.0,1.0;");
    assertThat(run("4.blob,1.1,4.AA=A;")).isEmpty();
    assertThat(run("4.blob,1.1,6.<svg/>;")).isEmpty();
    assertThat(run("4.blob,1.1,4.AA==;")).isEqualTo("4.blob,1.1,4.AA==;");
  }

  @Test
  void aPopupWithoutALiveParentIsFramed() {
    run("4.size,1.3,2.20,2.20;4.size,1.4,2.20,2.20;");
    assertThat(run("11.qair-window,1.4,5.popup,1.3,1.5,1.6,4.menu;"))
        .isEqualTo("11.qair-window,1.4,5.popup,1.3,1.5,1.6,4.menu;");
    assertThat(run("11.qair-window,1.4,5.popup,1.4,1.5,1.6,4.menu;"))
        .isEqualTo("11.qair-window,1.4,6.normal,1.0,1.5,1.6,4.menu;");
    assertThat(run("11.qair-window,1.4,9.transient,2.99,1.5,1.6,1.d;"))
        .isEqualTo("11.qair-window,1.4,6.normal,1.0,1.5,1.6,1.d;");
  }

  @Test
  void numbersAreReEncodedFromTheirValue() {
    assertThat(run("4.size,2.01,3.020,1.7;")).isEqualTo("4.size,1.1,2.20,1.7;");
  }

  @Test
  void tooManyWindowsAreRefused() {
    for (int i = 1; i <= TunnelLimits.MAX_WINDOWS; i++) {
      assertThat(run(GuacamoleCodec.encode("size", Integer.toString(i), "1", "1"))).isNotEmpty();
    }
    assertThat(run(GuacamoleCodec.encode("size", "100000", "1", "1"))).isEmpty();
    assertThat(run(GuacamoleCodec.encode("size", "1", "2", "2"))).as("an existing window may resize").isNotEmpty();
  }
}
