/**
 * The cloud adapter SPI: a handful of blocking, idempotent operations on records (provision,
 * describe, start, stop, deprovision, discover) that every provider implements. No Vert.x, no
 * provider SDK types: an EC2 or GCE adapter maps its own API onto these.
 */
package io.qair.cloud.spi;
