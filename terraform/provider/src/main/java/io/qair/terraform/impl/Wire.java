package io.qair.terraform.impl;

import com.google.protobuf.ByteString;
import io.qair.terraform.Msgpack;
import io.qair.terraform.proto.Tfplugin6;
import io.qair.terraform.spi.Attr;
import io.qair.terraform.spi.Diagnostics;
import io.qair.terraform.spi.TypeSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Conversions between protocol messages and the provider's values, schemas and diagnostics. */
final class Wire {
  private Wire() {}

  static Tfplugin6.Schema schema(TypeSchema s) {
    Tfplugin6.Schema.Block.Builder block = Tfplugin6.Schema.Block.newBuilder()
        .setVersion(s.version()).setDescription(s.description());
    for (Attr a : s.attributes()) {
      block.addAttributes(Tfplugin6.Schema.Attribute.newBuilder()
          .setName(a.name())
          .setType(ByteString.copyFromUtf8(a.type()))
          .setDescription(a.description())
          .setRequired(a.required()).setOptional(a.optional()).setComputed(a.computed())
          .setSensitive(a.sensitive()));
    }
    return Tfplugin6.Schema.newBuilder().setVersion(s.version()).setBlock(block).build();
  }

  /** A decoded object value, null when Terraform sent null. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Tfplugin6.DynamicValue v) {
    Object o;
    if (!v.getMsgpack().isEmpty()) {
      o = Msgpack.decode(v.getMsgpack().toByteArray());
    } else if (!v.getJson().isEmpty()) {
      o = json(v.getJson().toByteArray());
    } else {
      return null;
    }
    if (o != null && !(o instanceof Map)) {
      throw new IllegalArgumentException("expected an object value, got " + o.getClass().getSimpleName());
    }
    return (Map<String, Object>) o;
  }

  /** A JSON object (state stored by Terraform) as a value: numbers as Long where whole. */
  static Object json(byte[] json) {
    try {
      return normalize(AdminClient.JSON.readValue(new String(json, StandardCharsets.UTF_8), Object.class));
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON state: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object normalize(Object o) {
    if (o instanceof Integer i) {
      return i.longValue();
    }
    if (o instanceof Map<?, ?> m) {
      ((Map<String, Object>) m).replaceAll((k, v) -> normalize(v));
    } else if (o instanceof List<?> l) {
      ((List<Object>) l).replaceAll(Wire::normalize);
    }
    return o;
  }

  static Tfplugin6.DynamicValue value(TypeSchema schema, Map<String, Object> v) {
    return Tfplugin6.DynamicValue.newBuilder()
        .setMsgpack(ByteString.copyFrom(Msgpack.encode(v == null ? null : schema.complete(v)))).build();
  }

  static List<Tfplugin6.Diagnostic> diagnostics(Diagnostics d) {
    return d.items().stream().map(i -> diagnostic(i.error(), i.summary(), i.detail(), i.attribute())).toList();
  }

  static Tfplugin6.Diagnostic diagnostic(boolean error, String summary, String detail, String attribute) {
    Tfplugin6.Diagnostic.Builder b = Tfplugin6.Diagnostic.newBuilder()
        .setSeverity(error ? Tfplugin6.Diagnostic.Severity.ERROR : Tfplugin6.Diagnostic.Severity.WARNING)
        .setSummary(summary).setDetail(detail == null ? "" : detail);
    if (attribute != null) {
      b.setAttribute(path(attribute));
    }
    return b.build();
  }

  static Tfplugin6.AttributePath path(String attribute) {
    return Tfplugin6.AttributePath.newBuilder()
        .addSteps(Tfplugin6.AttributePath.Step.newBuilder().setAttributeName(attribute)).build();
  }
}
