package io.qair.terraform.spi;

/**
 * One attribute of a resource, data source or provider schema.
 *
 * @param type the cty type as JSON: {@code "string"}, {@code "number"}, {@code ["set","string"]}
 * @param forcesReplacement a change plans a replacement (Terraform's {@code requires_replace})
 */
public record Attr(String name, String type, boolean required, boolean optional, boolean computed,
    boolean sensitive, boolean forcesReplacement, String description) {

  public static final String STRING = "\"string\"";
  public static final String NUMBER = "\"number\"";
  public static final String BOOL = "\"bool\"";
  public static final String STRING_SET = "[\"set\",\"string\"]";
  public static final String STRING_LIST = "[\"list\",\"string\"]";
  public static final String STRING_MAP = "[\"map\",\"string\"]";

  public static Attr required(String name, String type, String description) {
    return new Attr(name, type, true, false, false, false, false, description);
  }

  public static Attr optional(String name, String type, String description) {
    return new Attr(name, type, false, true, false, false, false, description);
  }

  /** Optional; when left out, the value the master chose. */
  public static Attr optionalComputed(String name, String type, String description) {
    return new Attr(name, type, false, true, true, false, false, description);
  }

  public static Attr computed(String name, String type, String description) {
    return new Attr(name, type, false, false, true, false, false, description);
  }

  public Attr replacing() {
    return new Attr(name, type, required, optional, computed, sensitive, true, description);
  }

  public Attr asSensitive() {
    return new Attr(name, type, required, optional, computed, true, forcesReplacement, description);
  }
}
