package io.qair.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Terraform values (cty) as msgpack, the way Terraform encodes them: objects and maps as msgpack
 * maps, lists and sets as arrays, numbers as integers when whole, unknown as {@code fixext1}
 * type 0. Decoded values are {@code null}, {@link String}, {@link Long}, {@link Double},
 * {@link Boolean}, {@link List}, {@link Map} or {@link Unknown#VALUE}.
 */
public final class Msgpack {
  private static final int UNKNOWN_EXT = 0;
  private static final int REFINED_UNKNOWN_EXT = 12;

  private Msgpack() {}

  public static Object decode(byte[] untrusted) {
    if (untrusted == null || untrusted.length == 0) {
      return null;
    }
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(untrusted)) {
      return read(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed msgpack value: " + e.getMessage(), e);
    }
  }

  private static Object read(MessageUnpacker in) throws IOException {
    ValueType t = in.getNextFormat().getValueType();
    switch (t) {
      case NIL:
        in.unpackNil();
        return null;
      case BOOLEAN:
        return in.unpackBoolean();
      case INTEGER:
        return in.unpackLong();
      case FLOAT: {
        double d = in.unpackDouble();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
      }
      case STRING:
        return in.unpackString();
      case BINARY: {
        byte[] b = in.readPayload(in.unpackBinaryHeader());
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
      }
      case ARRAY: {
        int n = in.unpackArrayHeader();
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(read(in));
        }
        return list;
      }
      case MAP: {
        int n = in.unpackMapHeader();
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          Object k = read(in);
          map.put(String.valueOf(k), read(in));
        }
        return map;
      }
      case EXTENSION: {
        var h = in.unpackExtensionTypeHeader();
        in.readPayload(h.getLength());
        if (h.getType() == UNKNOWN_EXT || h.getType() == REFINED_UNKNOWN_EXT) {
          return Unknown.VALUE;
        }
        throw new IOException("unexpected msgpack extension type " + h.getType());
      }
      default:
        throw new IOException("unexpected msgpack type " + t);
    }
  }

  public static byte[] encode(Object value) {
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      write(out, value);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(MessageBufferPacker out, Object v) throws IOException {
    if (v == null) {
      out.packNil();
    } else if (v == Unknown.VALUE) {
      out.packExtensionTypeHeader((byte) UNKNOWN_EXT, 1);
      out.writePayload(new byte[] {0});
    } else if (v instanceof String s) {
      out.packString(s);
    } else if (v instanceof Boolean b) {
      out.packBoolean(b);
    } else if (v instanceof Integer || v instanceof Long) {
      out.packLong(((Number) v).longValue());
    } else if (v instanceof Number n) {
      out.packDouble(n.doubleValue());
    } else if (v instanceof Map<?, ?> m) {
      out.packMapHeader(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.packString(String.valueOf(e.getKey()));
        write(out, e.getValue());
      }
    } else if (v instanceof Collection<?> c) {
      out.packArrayHeader(c.size());
      for (Object o : c) {
        write(out, o);
      }
    } else {
      throw new IllegalArgumentException("cannot encode " + v.getClass().getName());
    }
  }
}
