package io.qair.terraform;

/**
 * A value Terraform does not know yet (known after apply). On the wire it is msgpack extension
 * type 0 (refined unknowns, extension type 12, decode to this as well).
 */
public enum Unknown {
  VALUE;

  public static boolean is(Object v) {
    return v == VALUE;
  }
}
