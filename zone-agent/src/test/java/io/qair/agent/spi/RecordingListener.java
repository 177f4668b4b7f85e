package io.qair.agent.spi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Collects a command's output; {@link #exitCode()} waits for the end. */
public class RecordingListener implements ExecListener {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  public final List<String> events = new CopyOnWriteArrayList<>();
  public final CompletableFuture<Integer> exit = new CompletableFuture<>();
  public final List<Thread> threads = new CopyOnWriteArrayList<>();

  @Override
  public void onStdout(byte[] data) {
    threads.add(Thread.currentThread());
    synchronized (out) {
      out.writeBytes(data);
    }
  }

  @Override
  public void onStderr(byte[] data) {
    synchronized (err) {
      err.writeBytes(data);
    }
  }

  @Override
  public void onEof(boolean stderr) {
    events.add(stderr ? "eof-stderr" : "eof-stdout");
  }

  @Override
  public void onExit(int exitCode) {
    events.add("exit");
    exit.complete(exitCode);
  }

  public int exitCode() {
    try {
      return exit.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the command did not finish in 30 s; stdout=" + stdout() + " stderr=" + stderr(), e);
    }
  }

  public String stdout() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  public byte[] stdoutBytes() {
    synchronized (out) {
      return out.toByteArray();
    }
  }

  public String stderr() {
    synchronized (err) {
      return err.toString(StandardCharsets.UTF_8);
    }
  }
}
