/**
 * The zone's template store ({@code templatesDir/NAME/root}, {@code manifest}, {@code digest}) and
 * the builder that makes a Debian template with debootstrap inside a bubblewrap sandbox.
 */
package io.qair.agent.template;
