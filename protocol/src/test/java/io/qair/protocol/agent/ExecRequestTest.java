package io.qair.protocol.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecRequestTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void userTravelsAsJsonOnlyWhenSet() throws Exception {
    ExecRequest root = new ExecRequest(List.of("apt-get", "install"), null, ExecRequest.ROOT);
    String text = json.writeValueAsString(root);
    assertThat(text).isEqualTo("{\"argv\":[\"apt-get\",\"install\"],\"user\":\"root\"}");
    assertThat(json.readValue(text, ExecRequest.class)).isEqualTo(root);
    assertThat(json.readValue(text, ExecRequest.class).asRoot()).isTrue();
    ExecRequest plain = json.readValue("{\"argv\":[\"id\"],\"env\":{\"A\":\"b\"}}", ExecRequest.class);
    assertThat(plain).isEqualTo(new ExecRequest(List.of("id"), Map.of("A", "b")));
    assertThat(plain.user()).isNull();
    assertThat(plain.asRoot()).isFalse();
    assertThat(json.writeValueAsString(plain)).doesNotContain("user").doesNotContain("asRoot");
    assertThat(new ExecRequest(List.of("id"), null, "ROOT").asRoot()).as("exact, lower case").isFalse();
  }
}
