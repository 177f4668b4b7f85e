package io.qair.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Terraform values on literal msgpack bytes, as cty writes them. */
class MsgpackTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void unknownIsFixext1OfTypeZero() {
    assertThat(HEX.formatHex(Msgpack.encode(Unknown.VALUE))).isEqualTo("d40000");
    assertThat(Msgpack.decode(HEX.parseHex("d40000"))).isSameAs(Unknown.VALUE);
  }

  @Test
  void refinedUnknownDecodesAsUnknown() {
    // cty writes a refined unknown (e.g. "not null") as extension type 12 with a map payload
    assertThat(Msgpack.decode(HEX.parseHex("c7030c8101c3"))).isSameAs(Unknown.VALUE);
  }

  @Test
  void objectWithStringNumberNullAndSet() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", "work");
    v.put("memory", 400L);
    v.put("netvm", null);
    v.put("tags", List.of("a"));
    byte[] wire = Msgpack.encode(v);
    assertThat(HEX.formatHex(wire)).isEqualTo("84a46e616d65a4776f726ba66d656d6f7279cd0190a56e6574766dc0a47461677391a161");
    assertThat(Msgpack.decode(wire)).isEqualTo(v);
  }

  @Test
  void wholeFloatsBecomeLongs() {
    assertThat(Msgpack.decode(HEX.parseHex("cb4079000000000000"))).isEqualTo(400L);
  }

  @Test
  void emptyBytesAreNull() {
    assertThat(Msgpack.decode(new byte[0])).isNull();
    assertThat(HEX.formatHex(Msgpack.encode(null))).isEqualTo("c0");
  }
}
