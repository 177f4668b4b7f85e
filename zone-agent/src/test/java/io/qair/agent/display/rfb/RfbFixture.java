package io.qair.agent.display.rfb;

/** A client connected to a scripted server. */
record RfbFixture(RfbClient client, ScriptedChannel channel, RecordingRfbListener listener) {
  static RfbFixture open(ScriptedChannel channel) throws Exception {
    return open(channel, RfbLimits.defaults());
  }

  static RfbFixture open(ScriptedChannel channel, RfbLimits limits) throws Exception {
    RecordingRfbListener listener = new RecordingRfbListener();
    return new RfbFixture(RfbClient.open(channel, listener, limits), channel, listener);
  }

  /** Waits for the connection to fail and returns the cause's message. */
  String failure() throws Exception {
    Throwable t = listener.awaitClosed().orElseThrow(() -> new AssertionError("closed without a cause"));
    if (!(t instanceof RfbProtocolException)) {
      throw new AssertionError("expected an RfbProtocolException", t);
    }
    return t.getMessage();
  }
}
