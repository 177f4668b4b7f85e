package io.qair.protocol.agent;

import java.util.List;

/**
 * An application a qube offers, from a {@code .desktop} file in the qube or its template. Every
 * field came from inside a qube: a viewer shows {@code name} as text only.
 *
 * @param id the desktop file's name without {@code .desktop}
 * @param name what the menu shows
 * @param exec the command line, field codes ({@code %f}, {@code %U}...) removed
 * @param terminal whether it wants a terminal
 */
public record AppEntry(String id, String name, List<String> exec, boolean terminal) {}
