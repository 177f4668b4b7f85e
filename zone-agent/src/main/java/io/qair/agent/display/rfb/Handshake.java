package io.qair.agent.display.rfb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of the RFB 3.8 handshake (RFC 6143 7.1-7.3): version, security type None,
 * ClientInit (shared), ServerInit. Everything the server says is checked; text it sends is cut
 * and stripped of control characters before it reaches an error message.
 */
final class Handshake {
  static final int SECURITY_NONE = 1;
  private static final byte[] VERSION_3_8 = "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII);

  /** What ServerInit said. */
  record ServerInit(int width, int height, PixelFormat format, String name) {}

  private final RfbInput in;
  private final WritableByteChannel out;
  private final RfbLimits limits;

  private Handshake(RfbInput in, WritableByteChannel out, RfbLimits limits) {
    this.in = in;
    this.out = out;
    this.limits = limits;
  }

  static ServerInit run(RfbInput in, WritableByteChannel out, RfbLimits limits) throws IOException {
    Handshake h = new Handshake(in, out, limits);
    h.version();
    h.security();
    OutputQueue.writeFully(out, new byte[] {1}); // ClientInit, shared
    return h.serverInit();
  }

  private void version() throws IOException {
    byte[] v = in.bytes(12);
    String text = new String(v, StandardCharsets.ISO_8859_1);
    if (!text.matches("RFB \\d{3}\\.\\d{3}\n")) {
      throw new RfbProtocolException("not an RFB server: it greeted with \"" + printable(text, 12)
          + "\" instead of \"RFB 003.008\"");
    }
    int major = Integer.parseInt(text.substring(4, 7));
    int minor = Integer.parseInt(text.substring(8, 11));
    if (major < 3 || major == 3 && minor < 8) {
      throw new RfbProtocolException("the server speaks RFB " + major + "." + minor
          + "; qair needs RFB 3.8 (TigerVNC Xvnc)");
    }
    OutputQueue.writeFully(out, VERSION_3_8);
  }

  private void security() throws IOException {
    int count = in.u8();
    if (count == 0) {
      throw new RfbProtocolException("the server refused the connection: " + reason());
    }
    List<Integer> types = new ArrayList<>();
    for (byte t : in.bytes(count)) {
      types.add(t & 0xFF);
    }
    if (!types.contains(SECURITY_NONE)) {
      throw new RfbProtocolException("the server offers security types " + types
          + " but qair supports only None (1) over the qube's private socket: start Xvnc with -SecurityTypes None");
    }
    OutputQueue.writeFully(out, new byte[] {SECURITY_NONE});
    long result = in.u32();
    if (result == 1) {
      throw new RfbProtocolException("the server rejected security type None: " + reason());
    }
    if (result != 0) {
      throw new RfbProtocolException("the server sent an unknown SecurityResult " + result);
    }
  }

  private String reason() throws IOException {
    long len = in.u32();
    if (len > limits.maxNameBytes()) {
      throw new RfbProtocolException("the server's failure reason is " + len + " bytes long, more than "
          + limits.maxNameBytes());
    }
    return printable(new String(in.bytes((int) len), StandardCharsets.UTF_8), 200);
  }

  private ServerInit serverInit() throws IOException {
    int width = in.u16();
    int height = in.u16();
    PixelFormat format = PixelFormat.read(ByteBuffer.wrap(in.bytes(16)));
    long nameLength = in.u32();
    if (nameLength > limits.maxNameBytes()) {
      throw new RfbProtocolException("the server's desktop name is " + nameLength + " bytes long, more than "
          + limits.maxNameBytes());
    }
    String name = printable(new String(in.bytes((int) nameLength), StandardCharsets.UTF_8), limits.maxNameBytes());
    limits.checkDesktopSize("the server's desktop", width, height);
    return new ServerInit(width, height, format, name);
  }

  /** At most {@code max} characters with control characters removed: safe to log and show. */
  static String printable(String untrusted, int max) {
    StringBuilder b = new StringBuilder(Math.min(untrusted.length(), max));
    untrusted.codePoints().filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
        .limit(max).forEach(b::appendCodePoint);
    return b.toString();
  }
}
