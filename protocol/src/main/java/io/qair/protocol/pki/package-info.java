/**
 * PKI for qair's mutual TLS: the master's {@link io.qair.protocol.pki.CertificateAuthority}, CSRs
 * whose signature is checked on parse, PEM helpers, fingerprints, owner-only files, and JDK
 * key/trust managers any TLS stack can wrap. No Vert.x here.
 */
package io.qair.protocol.pki;
