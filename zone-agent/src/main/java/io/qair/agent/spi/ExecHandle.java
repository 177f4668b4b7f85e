package io.qair.agent.spi;

/** A command running in a qube. Writes may block when the qube does not read (back-pressure). */
public interface ExecHandle {
  void stdin(byte[] data);

  void closeStdin();

  /** Kills the command (not the qube). */
  void kill();
}
