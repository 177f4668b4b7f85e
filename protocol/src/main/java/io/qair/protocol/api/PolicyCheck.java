package io.qair.protocol.api;

import java.util.List;

/** The errors of the policy directory, one {@code FILE:LINE: why} each; empty when it is valid. */
public record PolicyCheck(boolean valid, List<String> errors) {}
