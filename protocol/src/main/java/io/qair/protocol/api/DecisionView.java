package io.qair.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A policy decision as the Admin API shows it.
 *
 * @param action allow, deny or ask
 * @param target for allow: the qube to connect to ({@code dom0}, {@code @dispvm:NAME} for a new disposable)
 * @param targets for ask: what the user may choose from
 * @param rule the {@code FILE:LINE} of the rule that decided, absent when none matched
 * @param summary the decision in one line, as {@code qair policy eval} prints it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionView(String action, String target, List<String> targets, String defaultTarget, String user,
    Boolean autostart, Boolean notifyUser, String rule, String reason, String summary) {}
