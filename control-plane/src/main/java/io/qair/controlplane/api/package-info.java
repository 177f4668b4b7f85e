/**
 * The Admin API server: HTTPS with a certificate from the master CA, a bearer token, routes and
 * request validation taken from {@code docs/admin-api/openapi.yaml} (packaged with the server), one
 * {@link io.qair.controlplane.api.Operation} per operation (in {@code api.ops}), and one failure
 * handler that turns {@link io.qair.protocol.QairException} into an {@code ErrorBody}.
 */
package io.qair.controlplane.api;
