package io.qair.agent.spi;

/**
 * Receives a running command's output. Callbacks come from one backend thread per command, in
 * order; a callback may block, which pauses reading from the qube (back-pressure).
 */
public interface ExecListener {
  void onStdout(byte[] data);

  void onStderr(byte[] data);

  /** End of file on stdout or stderr. */
  default void onEof(boolean stderr) {}

  /** Last callback: the command's exit code (126/127 as in qrexec when it could not run). */
  void onExit(int exitCode);
}
