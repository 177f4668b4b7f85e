package io.qair.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A hermetic, seeded stand-in for the fuzz test: token soup from the policy vocabulary, mangled
 * with random characters, in small trees of files that include each other.
 */
class PolicyParserRandomInputTest {
  private static final List<String> WORDS = List.of("svc", "*", "+", "+x", "qubes.Filecopy",
      "@anyvm", "@adminvm", "dom0", "@default", "@dispvm", "@dispvm:dvm", "@dispvm:@tag:dvmtag",
      "@tag:work", "@type:AppVM", "@type:AdminVM", "@zone:aws", "work", "personal", "vault",
      "allow", "deny", "ask", "target=vault", "target=@dispvm", "default_target=work", "user=root",
      "notify=yes", "notify=no", "autostart=no", "autostart=maybe", "!include", "!include-dir",
      "!include-service", "inc", "inc/y", "d", "10-a.policy", "../x", "/etc", "#", "\t", "=",
      "@tag:", "@dispvm:", "\u00e9", "\u0000", "\r");

  @Test
  void anyInputGivesAPolicyOrAPolicyException() {
    Random random = new Random(20261123);
    int valid = 0;
    for (int i = 0; i < 3000; i++) {
      Map<String, String> tree = new LinkedHashMap<>();
      int files = 1 + random.nextInt(4);
      for (int f = 0; f < files; f++) {
        tree.put(ParserProperty.FILE_NAMES.get(random.nextInt(ParserProperty.FILE_NAMES.size())),
            text(random));
      }
      if (ParserProperty.check(tree)) {
        valid++;
      }
    }
    // the soup must reach both ends: policies that parse and policies that are rejected
    assertThat(valid).isBetween(100, 2900);
  }

  private static String text(Random random) {
    StringBuilder sb = new StringBuilder();
    int lines = random.nextInt(8);
    for (int l = 0; l < lines; l++) {
      int words = random.nextInt(8);
      for (int w = 0; w < words; w++) {
        if (random.nextInt(10) == 0) {
          sb.append((char) random.nextInt(0x80));
        } else {
          sb.append(WORDS.get(random.nextInt(WORDS.size())));
        }
        sb.append(random.nextInt(6) == 0 ? "" : " ");
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
