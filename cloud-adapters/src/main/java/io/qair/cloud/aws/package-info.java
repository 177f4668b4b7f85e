/**
 * The {@code aws} cloud adapter: a zone host is an EC2 instance (Debian 12, IMDSv2 only, encrypted
 * root volume) in a per-zone security group that opens only the agent port, bootstrapped by
 * cloud-init user-data. AWS SDK v2 over the JDK's HTTP client; credentials from the SDK's default
 * chain, never stored by qair. See docs/cloud-zones.md.
 */
package io.qair.cloud.aws;
