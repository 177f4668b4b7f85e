/**
 * Admin API records: what the {@code qair} CLI, the gateway and the Terraform provider send to and
 * receive from the master admin. The OpenAPI description is {@code docs/admin-api/openapi.yaml}.
 */
package io.qair.protocol.api;
