package io.qair.controlplane.policy;

/** Bounds on what a policy may be: policy files are edited by people and come over the API. */
final class PolicyLimits {
  static final int MAX_LINE_LENGTH = 2048;
  static final int MAX_FILE_BYTES = 1 << 20;
  static final long MAX_TOTAL_BYTES = 16L << 20;
  static final int MAX_FILES = 1000;
  static final int MAX_RULES = 100_000;
  static final int MAX_INCLUDE_DEPTH = 16;
  static final int MAX_ERRORS = 100;

  private PolicyLimits() {}
}
