package io.qair.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qair.protocol.QubeState;
import io.qair.protocol.agent.TemplateInfo;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminApiTest extends WithTestMaster {
  private static final ObjectMapper JSON = new ObjectMapper();




  private static JsonNode json(TestMaster.Answer a) throws Exception {
    return JSON.readTree(a.body());
  }

  /** Asserts an error answer: status, kind, message fragment, and that nothing changed. */
  private void assertRefused(String method, String path, String body, int status, String kind, String message)
      throws Exception {
    String before = m.snapshot();
    TestMaster.Answer a = m.call(method, path, body);
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    JsonNode err = json(a);
    assertThat(err.path("error").asText()).isEqualTo(kind);
    assertThat(err.path("message").asText()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(m.snapshot()).isEqualTo(before);
  }

  private void create(String body) throws Exception {
    TestMaster.Answer a = m.call("POST", "/api/v1/qubes", body);
    assertThat(a.status()).as(a.body()).isEqualTo(201);
  }

  @Test
  void labelsListThePaletteWithColours() throws Exception {
    JsonNode labels = json(m.call("GET", "/api/v1/labels", null));
    assertThat(labels).hasSize(8);
    assertThat(labels.get(0).path("name").asText()).isEqualTo("red");
    assertThat(labels.get(0).path("color").asText()).isEqualTo("#cc0000");
  }

  @Test
  void createTakesDefaultsAndRecordsAnEvent() throws Exception {
    long before = m.lastEventId();
    TestMaster.Answer a = m.call("POST", "/api/v1/qubes", "{\"name\":\"work\",\"label\":\"Blue\"}");
    assertThat(a.status()).isEqualTo(201);
    JsonNode q = json(a);
    assertThat(q.path("klass").asText()).isEqualTo("AppVM");
    assertThat(q.path("template").asText()).isEqualTo("debian-12");
    assertThat(q.path("zone").asText()).isEqualTo("local");
    assertThat(q.path("label").asText()).isEqualTo("blue");
    assertThat(q.path("memory").asInt()).isEqualTo(400);
    assertThat(q.path("vcpus").asInt()).isEqualTo(2);
    assertThat(q.path("state").asText()).isEqualTo("HALTED");
    assertThat(q.path("properties").path("autostart").asText()).isEqualTo("false");
    assertThat(m.store.eventsAfter(before, 10)).extracting(e -> e.type()).containsExactly("qube-created");
    assertThat(json(m.call("GET", "/api/v1/qubes/work", null)).path("name").asText()).isEqualTo("work");
    assertThat(json(m.call("GET", "/api/v1/qubes", null))).hasSize(2);
  }

  @Test
  void createRefusesBadInputWithAMessageAndChangesNothing() throws Exception {
    create("{\"name\":\"work\",\"label\":\"red\"}");
    create("{\"name\":\"fedora\",\"label\":\"red\",\"klass\":\"TemplateVM\"}");
    assertRefused("POST", "/api/v1/qubes", "{\"name\":\"9lives\",\"label\":\"red\"}", 400, "BAD_REQUEST",
        "invalid qube name '9lives'");
    assertRefused("POST", "/api/v1/qubes", "{\"name\":\"x\",\"label\":\"pink\"}", 400, "BAD_REQUEST",
        "unknown label 'pink': use one of red");
    assertRefused("POST", "/api/v1/qubes", "{\"name\":\"x\",\"label\":\"red\",\"template\":\"arch\"}", 400,
        "BAD_REQUEST", "unknown template 'arch'");
    assertRefused("POST", "/api/v1/qubes", "{\"name\":\"x\",\"label\":\"red\",\"template\":\"work\"}", 400,
        "BAD_REQUEST", "'work' is a AppVM, not a TemplateVM");
    assertRefused("POST", "/api/v1/qubes", "{\"name\":\"x\",\"label\":\"red\",\"zone\":\"mars\"}", 400,
        "BAD_REQUEST", "unknown zone 'mars'");
    assertRefused("POST", "/api/v1/qubes", "{\"name\":\"x\",\"label\":\"red\",\"netvm\":\"nonet\"}", 400,
        "BAD_REQUEST", "unknown net qube 'nonet'");
    assertRefused("POST", "/api/v1/qubes", "{\"name\":\"x\",\"label\":\"red\",\"klass\":\"HVM\"}", 400,
        "BAD_REQUEST", "unknown qube class 'HVM'");
    assertRefused("POST", "/api/v1/qubes",
        "{\"name\":\"x\",\"label\":\"red\",\"klass\":\"TemplateVM\",\"template\":\"debian-12\"}", 400,
        "BAD_REQUEST", "a TemplateVM has no template");
    assertRefused("POST", "/api/v1/qubes", "{\"name\":\"work\",\"label\":\"red\"}", 409, "CONFLICT",
        "qube 'work' already exists");
  }

  @Test
  void createInAZoneThatIsNotReadyIsAConflict() throws Exception {
    m.store.updateZone("local", io.qair.controlplane.store.ZoneState.PROVISIONING, null, null, "boot", null);
    assertRefused("POST", "/api/v1/qubes", "{\"name\":\"x\",\"label\":\"red\"}", 409, "CONFLICT",
        "zone 'local' is PROVISIONING, not READY");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"name\":\"x\",\"label\":\"red\",\"memory\":\"lots\"}|field 'memory' must be an integer",
      "{\"name\":\"x\",\"label\":\"red\",\"memory\":70000}|field 'memory' must be at most 65536",
      "{\"name\":\"x\",\"label\":\"red\",\"vcpus\":0}|field 'vcpus' must be at least 1",
      "{\"name\":\"x\",\"label\":\"red\",\"colour\":\"red\"}|unknown field 'colour'",
      "{\"name\":\"x\"}|field 'label' is required",
      "{\"name\":7,\"label\":\"red\"}|field 'name' must be a string",
      "[1,2]|the body must be a JSON object",
      "{\"name\":|the body is not valid JSON",
  })
  void requestsThatViolateTheSchemaAreRefused(String body, String message) throws Exception {
    assertRefused("POST", "/api/v1/qubes", body, 400, "BAD_REQUEST", message);
  }

  @Test
  void parametersAreValidatedToo() throws Exception {
    create("{\"name\":\"work\",\"label\":\"red\"}");
    assertRefused("GET", "/api/v1/qubes/work/properties/colour", null, 400, "BAD_REQUEST",
        "parameter 'prop' must be one of label, memory");
    assertRefused("POST", "/api/v1/qubes/work/shutdown?force=maybe", null, 400, "BAD_REQUEST",
        "parameter 'force' must be true or false");
    assertRefused("DELETE", "/api/v1/qubes/work?recursive=true", null, 400, "BAD_REQUEST",
        "unknown query parameter 'recursive'");
    assertRefused("PUT", "/api/v1/qubes/work/properties/memory", null, 400, "BAD_REQUEST", "a JSON body is required");
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    String big = "{\"name\":\"x\",\"label\":\"red\",\"template\":\"" + "a".repeat(70_000) + "\"}";
    assertRefused("POST", "/api/v1/qubes", big, 413, "TOO_LARGE", "larger than 64 KiB");
  }

  @Test
  void withoutTheRightTokenEverythingIs401() throws Exception {
    String before = m.snapshot();
    for (String bearer : new String[] {null, "wrong", m.token + "x"}) {
      TestMaster.Answer a = m.call("POST", "/api/v1/qubes", "{\"name\":\"x\",\"label\":\"red\"}", bearer);
      assertThat(a.status()).isEqualTo(401);
      assertThat(json(a).path("error").asText()).isEqualTo("UNAUTHENTICATED");
      assertThat(m.call("GET", "/api/v1/nowhere", null, bearer).status()).isEqualTo(401);
    }
    assertThat(m.snapshot()).isEqualTo(before);
  }

  @Test
  void unknownThingsAre404() throws Exception {
    assertRefused("GET", "/api/v1/qubes/ghost", null, 404, "NOT_FOUND", "qube 'ghost' not found");
    assertRefused("DELETE", "/api/v1/qubes/ghost", null, 404, "NOT_FOUND", "qube 'ghost' not found");
    assertRefused("POST", "/api/v1/qubes/ghost/start", null, 404, "NOT_FOUND", "qube 'ghost' not found");
    assertRefused("GET", "/api/v1/zones/mars", null, 404, "NOT_FOUND", "zone 'mars' not found");
    assertRefused("GET", "/api/v1/nowhere", null, 404, "NOT_FOUND", "no such API path");
    assertRefused("GET", "/api/v1/qubes/debian-12/features/gui", null, 404, "NOT_FOUND", "has no feature 'gui'");
  }

  @Test
  void startAndShutdownGoThroughTheZoneAndTrackState() throws Exception {
    create("{\"name\":\"work\",\"label\":\"red\",\"memory\":800}");
    TestMaster.Answer a = m.call("POST", "/api/v1/qubes/work/start", null);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(json(a).path("state").asText()).isEqualTo("RUNNING");
    assertThat(m.runtime.started).singleElement().satisfies(spec -> {
      assertThat(spec.template()).isEqualTo("debian-12");
      assertThat(spec.memoryMb()).isEqualTo(800);
    });
    assertRefused("POST", "/api/v1/qubes/work/start", null, 409, "CONFLICT", "already running");
    assertRefused("DELETE", "/api/v1/qubes/work", null, 409, "CONFLICT", "qube 'work' is running: shut it down first");
    assertRefused("PUT", "/api/v1/qubes/work/properties/memory", "{\"value\":\"1000\"}", 409, "CONFLICT",
        "cannot change the memory of running qube 'work'");
    assertRefused("PUT", "/api/v1/qubes/work/properties/template", "{\"value\":\"fedora\"}", 400, "BAD_REQUEST",
        "unknown template 'fedora'");
    assertThat(json(m.call("POST", "/api/v1/qubes/work/shutdown", null)).path("state").asText()).isEqualTo("HALTED");
    assertRefused("POST", "/api/v1/qubes/work/shutdown", null, 409, "CONFLICT", "is not running");
    assertThat(m.call("DELETE", "/api/v1/qubes/work", null).status()).isEqualTo(204);
    assertThat(m.runtime.removed).containsExactly("work");
    assertThat(m.store.qube("work")).isEmpty();
  }

  @Test
  void aStartThatFailsInTheZoneIs503AndLeavesTheQubeHalted() throws Exception {
    create("{\"name\":\"work\",\"label\":\"red\"}");
    m.runtime.failStart = "work";
    TestMaster.Answer a = m.call("POST", "/api/v1/qubes/work/start", null);
    assertThat(a.status()).isEqualTo(503);
    assertThat(json(a).path("message").asText())
        .isEqualTo("qube 'work' could not start in zone 'local': sandbox failed: no such template root");
    assertThat(m.store.qube("work").orElseThrow().state()).isEqualTo(QubeState.HALTED);
  }

  @Test
  void aTemplateInUseCannotBeRemoved() throws Exception {
    create("{\"name\":\"work\",\"label\":\"red\"}");
    assertRefused("DELETE", "/api/v1/qubes/debian-12", null, 409, "CONFLICT",
        "qube 'debian-12' is the template or net qube of work");
  }

  @Test
  void propertiesAreValidatedSetAndReset() throws Exception {
    create("{\"name\":\"sys-net\",\"label\":\"red\"}");
    create("{\"name\":\"work\",\"label\":\"red\"}");
    JsonNode all = json(m.call("GET", "/api/v1/qubes/work/properties", null));
    assertThat(all.path("netvm").asText()).isEmpty();
    assertThat(all.path("include_in_backups").asText()).isEqualTo("true");
    assertThat(json(m.call("PUT", "/api/v1/qubes/work/properties/label", "{\"value\":\"GREEN\"}")).path("value").asText())
        .isEqualTo("green");
    assertThat(m.call("PUT", "/api/v1/qubes/work/properties/netvm", "{\"value\":\"sys-net\"}").status()).isEqualTo(200);
    assertThat(m.call("PUT", "/api/v1/qubes/work/properties/autostart", "{\"value\":\"true\"}").status()).isEqualTo(200);
    assertThat(json(m.call("GET", "/api/v1/qubes/work/properties/netvm", null)).path("value").asText()).isEqualTo("sys-net");
    assertRefused("PUT", "/api/v1/qubes/sys-net/properties/netvm", "{\"value\":\"work\"}", 400, "BAD_REQUEST",
        "would route 'sys-net' through itself");
    assertRefused("DELETE", "/api/v1/qubes/sys-net", null, 409, "CONFLICT", "template or net qube of work");
    assertRefused("PUT", "/api/v1/qubes/work/properties/label", "{\"value\":\"pink\"}", 400, "BAD_REQUEST", "unknown label");
    assertRefused("PUT", "/api/v1/qubes/work/properties/memory", "{\"value\":\"63\"}", 400, "BAD_REQUEST",
        "memory 63 MiB is out of range");
    assertRefused("PUT", "/api/v1/qubes/work/properties/vcpus", "{\"value\":\"two\"}", 400, "BAD_REQUEST",
        "property 'vcpus' is a whole number");
    assertRefused("PUT", "/api/v1/qubes/work/properties/zone", "{\"value\":\"aws1\"}", 400, "BAD_REQUEST",
        "property 'zone' is read-only");
    assertRefused("PUT", "/api/v1/qubes/work/properties/autostart", "{\"value\":\"yes\"}", 400, "BAD_REQUEST",
        "property 'autostart' is true or false");
    assertRefused("PUT", "/api/v1/qubes/debian-12/properties/template", "{\"value\":\"debian-12\"}", 400,
        "BAD_REQUEST", "a TemplateVM has no template to change");
    assertRefused("DELETE", "/api/v1/qubes/work/properties/label", null, 400, "BAD_REQUEST", "has no default");
    assertThat(json(m.call("DELETE", "/api/v1/qubes/work/properties/autostart", null)).path("value").asText())
        .isEqualTo("false");
    assertThat(json(m.call("DELETE", "/api/v1/qubes/work/properties/netvm", null)).path("value").asText()).isEmpty();
    assertThat(m.store.qube("work").orElseThrow().netvm()).isNull();
  }

  @Test
  void tagsAndFeatures() throws Exception {
    create("{\"name\":\"work\",\"label\":\"red\"}");
    assertThat(m.call("PUT", "/api/v1/qubes/work/tags/office", null).status()).isEqualTo(204);
    assertThat(m.call("PUT", "/api/v1/qubes/work/tags/office", null).status()).isEqualTo(204);
    assertThat(json(m.call("GET", "/api/v1/qubes/work/tags", null)).toString()).isEqualTo("[\"office\"]");
    assertRefused("PUT", "/api/v1/qubes/work/tags/no%20spaces", null, 400, "BAD_REQUEST", "invalid tag 'no spaces'");
    assertThat(m.call("DELETE", "/api/v1/qubes/work/tags/office", null).status()).isEqualTo(204);
    assertThat(m.call("PUT", "/api/v1/qubes/work/features/gui", "{\"value\":\"1\"}").status()).isEqualTo(200);
    assertThat(json(m.call("GET", "/api/v1/qubes/work/features/gui", null)).path("value").asText()).isEqualTo("1");
    assertThat(json(m.call("GET", "/api/v1/qubes/work/features", null)).toString()).isEqualTo("{\"gui\":\"1\"}");
    assertThat(m.call("DELETE", "/api/v1/qubes/work/features/gui", null).status()).isEqualTo(204);
    assertRefused("PUT", "/api/v1/qubes/ghost/tags/office", null, 404, "NOT_FOUND", "qube 'ghost' not found");
  }

  @Test
  void zonesAreCreatedThroughTheZoneAdminAndRemovedOnlyWhenEmptyOrForced() throws Exception {
    TestMaster.Answer a = m.call("POST", "/api/v1/zones", "{\"name\":\"aws1\",\"provider\":\"aws\",\"region\":\"eu-west-1\"}");
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    assertThat(json(a).path("state").asText()).isEqualTo("READY");
    assertRefused("POST", "/api/v1/zones", "{\"name\":\"aws1\",\"provider\":\"aws\"}", 409, "CONFLICT",
        "zone 'aws1' already exists");
    assertRefused("POST", "/api/v1/zones", "{\"name\":\"AWS\",\"provider\":\"aws\"}", 400, "BAD_REQUEST",
        "invalid zone name 'AWS'");
    assertRefused("POST", "/api/v1/zones", "{\"name\":\"z2\",\"provider\":\"nope\"}", 400, "BAD_REQUEST",
        "unknown provider 'nope'");
    assertRefused("POST", "/api/v1/zones", "{\"name\":\"z2\"}", 400, "BAD_REQUEST", "field 'provider' is required");
    assertRefused("DELETE", "/api/v1/zones/local", null, 409, "CONFLICT", "zone 'local' still has 1 qube(s)");
    assertThat(json(m.call("GET", "/api/v1/zones", null))).hasSize(2);
    assertThat(m.call("DELETE", "/api/v1/zones/aws1", null).status()).isEqualTo(204);
    assertThat(m.call("DELETE", "/api/v1/zones/local?force=true", null).status()).isEqualTo(204);
    assertThat(m.store.qubes()).isEmpty();
  }

  @Test
  void templatesTheZoneHoldsAreRegisteredWhenListedOrNamed() throws Exception {
    m.runtime.templates.put("local", List.of(new TemplateInfo("fedora-40", "sha256:00", 1)));
    create("{\"name\":\"work\",\"label\":\"red\",\"template\":\"fedora-40\"}");
    m.runtime.templates.put("local", List.of(new TemplateInfo("fedora-40", "sha256:00", 1),
        new TemplateInfo("whonix", "sha256:01", 1)));
    JsonNode templates = json(m.call("GET", "/api/v1/templates", null));
    assertThat(templates).extracting(t -> t.path("name").asText()).containsExactly("debian-12", "fedora-40", "whonix");
  }

  @Test
  void aSecondZoneWithTheSameTemplateLeavesItsQubeInTheDefaultZoneAndMayUseIt() throws Exception {
    m.store.insertZone(io.qair.controlplane.store.ZoneRow.pending("z2", "local", null, java.util.Map.of()));
    m.store.updateZone("z2", io.qair.controlplane.store.ZoneState.READY, "127.0.0.1:7446", null, null, null);
    m.store.write(tx -> {
      tx.deleteQube("debian-12"); // not registered yet: the first zone to report it used to get it
      return null;
    });
    m.runtime.templates.put("local", List.of(new TemplateInfo("debian-12", "sha256:00", 1)));
    m.runtime.templates.put("z2", List.of(new TemplateInfo("debian-12", "sha256:00", 1),
        new TemplateInfo("only-z2", "sha256:02", 1)));
    // a qube in z2 on the default template is made before anything listed the templates
    create("{\"name\":\"far\",\"label\":\"red\",\"zone\":\"z2\"}");
    JsonNode templates = json(m.call("GET", "/api/v1/templates", null));
    assertThat(templates).filteredOn(t -> t.path("name").asText().equals("debian-12"))
        .extracting(t -> t.path("zone").asText()).containsExactly("local");
    assertThat(templates).filteredOn(t -> t.path("name").asText().equals("only-z2"))
        .extracting(t -> t.path("zone").asText()).containsExactly("z2");
    // a template the zone does not hold is refused
    TestMaster.Answer near = m.call("POST", "/api/v1/qubes", "{\"name\":\"near\",\"label\":\"red\",\"template\":\"only-z2\"}");
    assertThat(near.status()).isEqualTo(400);
    assertThat(near.body()).contains("has no copy of it");
  }
}
