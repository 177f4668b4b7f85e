package io.qair.agent.display.rfb;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.Deflater;

/**
 * Fuzzes the client with Jazzer, playing a hostile server: arbitrary bytes from the first byte,
 * or after a valid handshake, or inside a well-formed zlib stream of ZRLE tiles. Only an
 * IOException (an RfbProtocolException, an end of file) may come out of {@code open} or reach
 * {@code onClosed}, and the client must finish every input within seconds. Runs its stored
 * inputs as a plain test; fuzzes with {@code JAZZER_FUZZ=1}.
 */
class RfbClientFuzzTest {
  private static final RfbLimits LIMITS = new RfbLimits(256, 256, 1 << 14, 64, 4096, 32, 256, Duration.ofSeconds(5), 1 << 20);

  @FuzzTest(maxDuration = "10s")
  void onlyProtocolErrorsEscape(FuzzedDataProvider data) throws Exception {
    int mode = data.consumeInt(0, 2);
    byte[] script;
    if (mode == 0) {
      script = data.consumeRemainingAsBytes();
    } else {
      RfbBytes server = RfbBytes.handshake(data.consumeInt(1, 80), data.consumeInt(1, 80), "fuzz");
      if (mode == 2) {
        byte[] tiles = data.consumeBytes(data.consumeInt(0, 4096));
        server.update(1).rect(data.consumeInt(0, 80), data.consumeInt(0, 80), data.consumeInt(0, 80),
            data.consumeInt(0, 80), ClientMessages.ZRLE).zrle(new Deflater(), tiles);
      }
      script = server.bytes(data.consumeRemainingAsBytes()).toBytes();
    }
    RecordingRfbListener listener = new RecordingRfbListener();
    try {
      RfbClient.open(ScriptedChannel.ending(script), listener, LIMITS);
    } catch (IOException e) {
      return; // refused in the handshake: fine; anything else escapes and is a finding
    }
    Optional<Throwable> cause;
    try {
      cause = listener.closed.get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the client did not finish a " + script.length + "-byte input within 10 s");
    }
    if (cause.isPresent() && !(cause.get() instanceof IOException)) {
      throw new AssertionError("the client failed with something other than an IOException", cause.get());
    }
  }
}
