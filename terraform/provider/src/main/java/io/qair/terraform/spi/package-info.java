/** What one resource or data source type implements; the protocol service routes to these. */
package io.qair.terraform.spi;
