package io.qair.agent.guest;

import io.qair.protocol.qrexec.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Optional;

/** One connection from a qube's guest daemon: frames in, frames out. Sends are serialised. */
public final class GuestConnection implements io.qair.agent.spi.CallChannel {
  private final SocketChannel channel;
  private final FrameReader reader;
  private final Object writeLock = new Object();

  GuestConnection(SocketChannel channel) {
    this.channel = channel;
    this.reader = new FrameReader(Channels.newInputStream(channel));
  }

  /** Blocks while the qube does not read (back-pressure). */
  @Override
  public void send(Frame frame) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(frame.encode());
    synchronized (writeLock) {
      while (b.hasRemaining()) {
        channel.write(b);
      }
    }
  }

  @Override
  public Optional<Frame> read() throws IOException {
    return reader.next();
  }

  /** Half-closes: the guest sees end of stream (for a command: kill it). */
  public void shutdownOutput() {
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
