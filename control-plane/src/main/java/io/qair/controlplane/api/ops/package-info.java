/**
 * One class per Admin API operation, named after its {@code operationId} in
 * {@code docs/admin-api/openapi.yaml}; {@link io.qair.controlplane.api.ops.Operations} lists them.
 */
package io.qair.controlplane.api.ops;
