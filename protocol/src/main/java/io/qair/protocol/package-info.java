/**
 * The wire contracts every qair part shares: Admin API and agent API records (Jackson), the
 * error hierarchy that carries its own status, the label palette, qube naming rules, the qrexec
 * stream framing and the PKI helpers (CA, CSR, issuing certificates).
 */
package io.qair.protocol;
