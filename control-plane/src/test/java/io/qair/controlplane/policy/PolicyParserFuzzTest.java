package io.qair.controlplane.policy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assertions;

/**
 * Fuzzes the policy parser with Jazzer: a tree of up to five files, with names that include and
 * are included, and fuzzed text. The parser must return a policy (which must then evaluate calls)
 * or throw a {@link PolicyException} listing {@code FILE:LINE: why} errors, never anything else,
 * and never hang. Runs its stored inputs as a plain test; fuzzes with {@code JAZZER_FUZZ=1}.
 */
class PolicyParserFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void parsesOrRejects(FuzzedDataProvider data) {
    Map<String, String> tree = new LinkedHashMap<>();
    int files = data.consumeInt(0, 4);
    for (int i = 0; i < files; i++) {
      tree.put(data.pickValue(ParserProperty.FILE_NAMES), data.consumeString(2048));
    }
    tree.put("50-main.policy", data.consumeRemainingAsString());
    Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> ParserProperty.check(tree));
  }
}
