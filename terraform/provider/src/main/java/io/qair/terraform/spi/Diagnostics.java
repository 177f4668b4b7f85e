package io.qair.terraform.spi;

import java.util.ArrayList;
import java.util.List;

/** Errors and warnings for Terraform to show; an attribute path points at the offending value. */
public final class Diagnostics {

  /** One diagnostic; {@code attribute} is null or the top-level attribute it is about. */
  public record Diagnostic(boolean error, String summary, String detail, String attribute) {}

  private final List<Diagnostic> items = new ArrayList<>();

  public Diagnostics error(String summary, String detail) {
    items.add(new Diagnostic(true, summary, detail, null));
    return this;
  }

  public Diagnostics attributeError(String attribute, String summary, String detail) {
    items.add(new Diagnostic(true, summary, detail, attribute));
    return this;
  }

  public Diagnostics warning(String summary, String detail) {
    items.add(new Diagnostic(false, summary, detail, null));
    return this;
  }

  public boolean hasErrors() {
    return items.stream().anyMatch(Diagnostic::error);
  }

  public List<Diagnostic> items() {
    return List.copyOf(items);
  }
}
