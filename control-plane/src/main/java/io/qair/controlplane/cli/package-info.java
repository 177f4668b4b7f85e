/**
 * The {@code qair} command line: picocli commands that talk only to the Admin API, over HTTPS
 * with the JDK HTTP client (and its WebSocket for {@code run}). See {@code docs/cli.md}.
 */
package io.qair.controlplane.cli;
