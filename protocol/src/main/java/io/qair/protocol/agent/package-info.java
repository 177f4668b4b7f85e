/**
 * The agent API: what the master sends to a zone agent over mutual TLS, and what it answers.
 * Enrollment is the only call the agent accepts before it holds a master-issued certificate.
 */
package io.qair.protocol.agent;
