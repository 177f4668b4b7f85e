package io.qair.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What must hold for any input, however hostile: the parser returns a policy that can evaluate
 * calls, or throws a {@link PolicyException} whose every line is {@code FILE:LINE: why}. Nothing
 * else escapes, and it does not take long.
 */
final class ParserProperty {
  static final List<String> FILE_NAMES = List.of("10-a.policy", "20-b.policy", "inc", "inc/x.policy",
      "inc/y", "d/z.policy", ".hidden.policy", "README", "bad name.policy");
  private static final Pattern ERROR_LINE = Pattern.compile("[^\n]+:[0-9]+: [^\n]+");
  private static final List<PolicyRequest> REQUESTS = List.of(
      Fixtures.request("svc work personal"), Fixtures.request("svc+x work"),
      Fixtures.request("qubes.Filecopy work @dispvm"), Fixtures.request("svc dom0 work"),
      Fixtures.request("svc disp123 @dispvm:dvm"), Fixtures.request("svc cloudy dom0"));

  private ParserProperty() {}

  /** Checks the property; returns whether the tree was a valid policy. */
  static boolean check(Map<String, String> tree) {
    long start = System.nanoTime();
    boolean valid = false;
    try {
      Policy p = PolicyParser.parse(PolicySource.of(tree));
      for (PolicyRequest r : REQUESTS) {
        Decision d = p.evaluate(r, Fixtures.SYSTEM);
        assertThat(d.describe()).isNotEmpty();
      }
      valid = true;
    } catch (PolicyException e) {
      assertThat(e.errors()).isNotEmpty().hasSizeLessThanOrEqualTo(PolicyLimits.MAX_ERRORS);
      for (String line : e.getMessage().split("\n", -1)) {
        assertThat(line).matches(ERROR_LINE);
      }
    }
    assertThat(System.nanoTime() - start).as("parse time (ns)").isLessThan(2_000_000_000L);
    return valid;
  }
}
