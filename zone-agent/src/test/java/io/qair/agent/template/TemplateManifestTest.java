package io.qair.agent.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateManifestTest {
  @TempDir
  Path tmp;

  private Path tree(String name, String content) throws IOException {
    Path root = Files.createDirectories(tmp.resolve(name).resolve("root"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/hostname"), content);
    Files.setPosixFilePermissions(root.resolve("etc/hostname"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.createSymbolicLink(root.resolve("etc/escape"), Path.of("/etc/shadow"));
    return root;
  }

  @Test
  void manifestListsEveryEntryAndNeverFollowsLinks() throws IOException {
    Path root = tree("a", "qube\n");
    int uid = (Integer) Files.getAttribute(root, "unix:uid");
    int gid = (Integer) Files.getAttribute(root, "unix:gid");
    List<String> lines = TemplateManifest.of(root).lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("d ").endsWith(" .");
    assertThat(lines.get(2)).isEqualTo("l 0777 " + uid + " " + gid + " 0 /etc/shadow etc/escape");
    assertThat(lines.get(3)).matches("f 0644 " + uid + " " + gid + " 5 [0-9a-f]{64} etc/hostname");
  }

  @Test
  void digestIsStableForEqualContentAndChangesWithIt() throws IOException {
    String a = TemplateManifest.write(tree("a", "qube\n").getParent());
    String b = TemplateManifest.write(tree("b", "qube\n").getParent());
    String c = TemplateManifest.write(tree("c", "other\n").getParent());
    assertThat(a).hasSize(64).isEqualTo(b).isNotEqualTo(c);
    assertThat(tmp.resolve("a/digest")).hasContent(a);
    assertThat(TemplateManifest.totalSize(tmp.resolve("c/manifest"))).isEqualTo(6);
  }

  @Test
  void storeListsTemplatesWithDigestAndSize() throws IOException {
    String digest = TemplateManifest.write(tree("debian-12", "qube\n").getParent());
    Files.createDirectories(tmp.resolve("handmade/root"));
    Files.createDirectories(tmp.resolve("not a name/root"));
    Files.createDirectories(tmp.resolve("no-root"));
    TemplateStore store = TemplateStore.open(tmp);
    assertThat(store.list()).containsExactly(
        new io.qair.protocol.agent.TemplateInfo("debian-12", digest, 5),
        new io.qair.protocol.agent.TemplateInfo("handmade", null, 0));
    assertThat(store.root("debian-12")).isEqualTo(tmp.resolve("debian-12/root"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.root("missing"))
        .hasMessageContaining("template missing is not installed");
  }
}
