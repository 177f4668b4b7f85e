package io.qair.controlplane.cli;

import io.qair.protocol.QairException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qair bench dispvm}: the disposable round trip through the Admin API (create, run
 * {@code true}, destroyed) side by side, in one run, with a bare {@code bwrap --ro-bind TEMPLATE /
 * true}. Prints p50/p90 of both and their ratio. A measurement, never a test assertion.
 */
@Command(name = "bench", hidden = true, mixinStandardHelpOptions = true,
    description = "Benchmarks (see bench/README.md).")
final class BenchCommand extends CliCommand {
  @picocli.CommandLine.Parameters(index = "0", paramLabel = "WHAT", description = "dispvm")
  String what;

  @Option(names = {"-n", "--iterations"}, defaultValue = "50", description = "measured runs of each (default 50)")
  int iterations;

  @Option(names = "--warmup", defaultValue = "5", description = "unmeasured runs first (default 5)")
  int warmup;

  @Option(names = "--template-root", required = true, description = "the template root for the bare bwrap baseline")
  Path templateRoot;

  @Override
  public Integer call() throws Exception {
    if (!"dispvm".equals(what)) {
      throw QairException.badRequest("unknown benchmark '" + what + "': use dispvm");
    }
    if (!Files.isDirectory(templateRoot.resolve("bin"))) {
      throw QairException.badRequest("no template root at " + templateRoot);
    }
    ExecClient exec = new ExecClient(api(), env());
    List<String> bwrap = List.of("bwrap", "--ro-bind", templateRoot.toString(), "/", "true");
    // interleave the two so that machine noise falls on both alike
    for (int i = 0; i < warmup; i++) {
      dispvm(exec);
      bare(bwrap);
    }
    long[] qair = new long[iterations];
    long[] base = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      qair[i] = dispvm(exec);
      base[i] = bare(bwrap);
    }
    Arrays.sort(qair);
    Arrays.sort(base);
    env().out().printf("disposable round trip (Admin API: create, run true, destroy), n=%d%n", iterations);
    env().out().printf("  %-34s p50 %7.1f ms   p90 %7.1f ms%n", "qair run --dispvm -- true", ms(qair, 50), ms(qair, 90));
    env().out().printf("  %-34s p50 %7.1f ms   p90 %7.1f ms%n", "bwrap --ro-bind TEMPLATE / true", ms(base, 50),
        ms(base, 90));
    env().out().printf("  ratio p50 %.2fx   p90 %.2fx%n", ms(qair, 50) / ms(base, 50), ms(qair, 90) / ms(base, 90));
    env().out().flush();
    return 0;
  }

  private long dispvm(ExecClient exec) {
    long t0 = System.nanoTime();
    int code = exec.run("%40dispvm", List.of("true"), null, false); // no window wanted: no display
    long t = System.nanoTime() - t0;
    if (code != 0) {
      throw QairException.unavailable("the disposable run exited " + code, null);
    }
    return t;
  }

  private static long bare(List<String> cmd) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    int code = p.waitFor();
    long t = System.nanoTime() - t0;
    if (code != 0) {
      throw QairException.unavailable("bare bwrap exited " + code, null);
    }
    return t;
  }

  private static double ms(long[] sorted, int pct) {
    int i = Math.min(sorted.length - 1, (int) Math.ceil(pct / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }
}
