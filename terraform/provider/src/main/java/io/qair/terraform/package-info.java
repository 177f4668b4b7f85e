/**
 * The qair Terraform provider: a Terraform plugin protocol 6 server (go-plugin handshake with
 * AutoMTLS, gRPC) whose resources talk to the master's Admin API.
 *
 * <p>{@link io.qair.terraform.PluginMain} is what Terraform starts; {@code spi} holds the
 * contract one resource or data source type implements; {@code impl} the qair types and the
 * gRPC service that routes to them.
 */
package io.qair.terraform;
