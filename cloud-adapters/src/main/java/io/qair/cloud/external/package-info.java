/**
 * The {@code external} adapter: zone hosts that someone else makes (the Terraform modules in
 * {@code terraform/modules}), bootstrapped with the user-data this adapter renders and adopted by
 * their address.
 */
package io.qair.cloud.external;
