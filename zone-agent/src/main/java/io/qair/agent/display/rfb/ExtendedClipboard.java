package io.qair.agent.display.rfb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Extended Clipboard pseudo-encoding (0xC0A1E5CE, as TigerVNC speaks it): clipboard text in
 * UTF-8 either way, carried in cut-text messages with a negative length. Payload: a u32 of flags
 * (formats in bits 0-15, text = bit 0; actions caps/request/peek/notify/provide in bits 24-28),
 * then for caps one u32 size per format, for provide a zlib stream (fresh per message) of a u32
 * size and the data per format. Text is NUL-terminated with CRLF newlines on the wire.
 *
 * <p>Flow: the server announces caps; the client answers with its own. Server to client: the
 * server provides text unsolicited up to the size we declared, or notifies and we request.
 * Client to server: we notify, the server requests when an X client pastes, we provide.
 *
 * <p>Text larger than the limit is dropped with a warning, not treated as an attack: a user may
 * well copy a big log in a qube, and the server sends it when we ask.
 */
final class ExtendedClipboard {
  private static final Logger LOG = LoggerFactory.getLogger(ExtendedClipboard.class);
  static final int TEXT = 1;
  static final int CAPS = 1 << 24;
  static final int REQUEST = 1 << 25;
  static final int PEEK = 1 << 26;
  static final int NOTIFY = 1 << 27;
  static final int PROVIDE = 1 << 28;
  private static final int ACTIONS = 0xFF00_0000;

  private final int maxText;
  private final Consumer<byte[]> send;
  private volatile boolean enabled;
  private volatile byte[] ours;

  ExtendedClipboard(int maxText, Consumer<byte[]> send) {
    this.maxText = maxText;
    this.send = send;
  }

  /** Whether the server announced its caps, so text goes the extended way. */
  boolean enabled() {
    return enabled;
  }

  /** The largest extended message we read: text plus zlib and header overhead. */
  long maxMessageBytes() {
    return maxText + maxText / 1024 + 1024L;
  }

  /** Offers {@code text} to the server (it asks for it when an X client pastes). */
  void offer(String text) {
    ours = crlf(text).getBytes(StandardCharsets.UTF_8);
    send.accept(message(NOTIFY | TEXT, new byte[0]));
  }

  /**
   * Handles one extended message of {@code length} bytes (at most 2^31).
   *
   * @return text the server provided, if any
   */
  Optional<String> read(RfbInput in, long length) throws IOException {
    if (length < 4) {
      throw new RfbProtocolException("extended clipboard message of " + length + " bytes has no room for its flags");
    }
    if (length > 64L * maxText) {
      throw new RfbProtocolException("extended clipboard message of " + length + " bytes: no clipboard is that large");
    }
    if (length > maxMessageBytes()) {
      LOG.warn("ignoring a {}-byte clipboard message from the qube: more than the {}-byte limit", length, maxMessageBytes());
      in.skip(length);
      return Optional.empty();
    }
    int flags = in.s32();
    int rest = (int) length - 4;
    int action = flags & ACTIONS;
    if ((action & CAPS) != 0) {
      int sizes = Integer.bitCount(flags & 0xFFFF);
      if (rest < 4 * sizes) {
        throw new RfbProtocolException("extended clipboard caps name " + sizes + " formats but carry "
            + rest + " bytes of sizes");
      }
      in.skip(rest);
      if (!enabled) {
        enabled = true;
        send.accept(message(CAPS | REQUEST | PEEK | NOTIFY | PROVIDE | TEXT,
            ByteBuffer.allocate(4).putInt(maxText).array()));
      }
      return Optional.empty();
    }
    if (action == PROVIDE) {
      return provided(flags, in.bytes(rest));
    }
    in.skip(rest);
    if (action == REQUEST) {
      byte[] text = ours;
      if ((flags & TEXT) != 0 && text != null) {
        send.accept(provide(text));
      }
    } else if (action == PEEK) {
      send.accept(message(NOTIFY | (ours != null ? TEXT : 0), new byte[0]));
    } else if (action == NOTIFY) {
      if ((flags & TEXT) != 0) {
        send.accept(message(REQUEST | TEXT, new byte[0]));
      }
    } else {
      throw new RfbProtocolException(String.format("unknown extended clipboard action 0x%08x", action));
    }
    return Optional.empty();
  }

  private Optional<String> provided(int flags, byte[] zlib) throws RfbProtocolException {
    if ((flags & TEXT) == 0) {
      return Optional.empty(); // only other formats: nothing we use
    }
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(zlib);
      long size = inflateExactly(inflater, 4).getInt() & 0xFFFF_FFFFL;
      if (size > maxText + 1L) {
        LOG.warn("ignoring {} bytes of clipboard text from the qube: more than the {}-byte limit", size, maxText);
        return Optional.empty();
      }
      ByteBuffer text = inflateExactly(inflater, (int) size);
      int end = (int) size;
      while (end > 0 && text.get(end - 1) == 0) {
        end--;
      }
      return Optional.of(lf(new String(text.array(), 0, end, StandardCharsets.UTF_8)));
    } finally {
      inflater.end();
    }
  }

  private static ByteBuffer inflateExactly(Inflater inflater, int n) throws RfbProtocolException {
    byte[] out = new byte[n];
    int got = 0;
    try {
      while (got < n) {
        int k = inflater.inflate(out, got, n - got);
        if (k == 0 && (inflater.needsInput() || inflater.finished() || inflater.needsDictionary())) {
          throw new RfbProtocolException("the server's clipboard data ended after " + got + " of " + n
              + " bytes");
        }
        got += k;
      }
    } catch (DataFormatException e) {
      throw new RfbProtocolException("the server's clipboard data is not valid zlib (" + e.getMessage() + ")", e);
    }
    return ByteBuffer.wrap(out);
  }

  private static byte[] provide(byte[] utf8) {
    ByteArrayOutputStream raw = new ByteArrayOutputStream(utf8.length + 5);
    raw.writeBytes(ByteBuffer.allocate(4).putInt(utf8.length + 1).array());
    raw.writeBytes(utf8);
    raw.write(0);
    Deflater deflater = new Deflater();
    try {
      deflater.setInput(raw.toByteArray());
      deflater.finish();
      ByteArrayOutputStream zlib = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      while (!deflater.finished()) {
        zlib.write(chunk, 0, deflater.deflate(chunk));
      }
      return message(PROVIDE | TEXT, zlib.toByteArray());
    } finally {
      deflater.end();
    }
  }

  private static byte[] message(int flags, byte[] rest) {
    return ClientMessages.extendedCutText(ByteBuffer.allocate(4 + rest.length).putInt(flags).put(rest).array());
  }

  static String lf(String text) {
    return text.replace("\r\n", "\n");
  }

  private static String crlf(String text) {
    return lf(text).replace("\n", "\r\n");
  }
}
