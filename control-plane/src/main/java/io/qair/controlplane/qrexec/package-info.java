/**
 * The master's side of qrexec: the policy wired to the store ({@link
 * io.qair.controlplane.qrexec.StoreSystemInfo}), ask questions on the event stream ({@link
 * io.qair.controlplane.qrexec.AskEvents}), and the {@link io.qair.controlplane.qrexec.CallRouter}
 * that decides each call an agent sends and prepares its target (disposable, start). See
 * docs/qrexec.md.
 */
package io.qair.controlplane.qrexec;
