package io.qair.agent.spi;

import java.nio.file.Path;

/**
 * Where the agent reaches a running qube's display, on the host.
 *
 * @param x11Socket the qube's X server socket (the agent connects as the qube's window manager)
 * @param rfbSocket the same X server's RFB socket (the agent reads its framebuffer)
 */
public record DisplayEndpoint(Path x11Socket, Path rfbSocket) {}
