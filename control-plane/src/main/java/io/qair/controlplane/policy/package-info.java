/**
 * The qrexec policy engine: Qubes 4.1+ policy files ({@code SERVICE ARGUMENT SOURCE TARGET ACTION
 * [PARAM=VALUE...]}, first match wins, no match denies) extended with {@code @zone:NAME}.
 *
 * <p>{@link io.qair.controlplane.policy.PolicyParser} turns a policy directory into an immutable
 * {@link io.qair.controlplane.policy.Policy} or a {@link
 * io.qair.controlplane.policy.PolicyException} listing every error as {@code FILE:LINE: why}.
 * {@link io.qair.controlplane.policy.Policy#evaluate} answers one call with a {@link
 * io.qair.controlplane.policy.Decision}, given what the master knows of the qubes ({@link
 * io.qair.controlplane.policy.SystemInfo}). {@link io.qair.controlplane.policy.PolicyStore} keeps
 * the files on disk and swaps the policy atomically, only ever to a valid one. {@link
 * io.qair.controlplane.policy.AskQueue} holds {@code ask} decisions until the user answers or they
 * time out. The format is described in {@code docs/policy.md}.
 */
package io.qair.controlplane.policy;
