package io.qair.terraform.spi;

/**
 * A failure a Terraform user sees as an error diagnostic: what went wrong and what to do,
 * optionally about one attribute. The gRPC service turns it into a diagnostic in one place.
 */
public class ProviderException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String attribute;

  public ProviderException(String message) {
    this(null, message);
  }

  public ProviderException(String attribute, String message) {
    super(message);
    this.attribute = attribute;
  }

  /** The attribute the failure is about, or null. */
  public String attribute() {
    return attribute;
  }
}
