/**
 * The agent as the window manager of a qube's X server (TigerVNC Xvnc), in plain Java over the
 * X11 protocol: {@link io.qair.agent.display.x11.WindowManager#start} connects to the qube's X
 * socket, becomes its window manager and reports every top-level window
 * ({@link io.qair.agent.display.x11.XWindow}) so the display can show each as its own browser
 * window.
 *
 * <ul>
 *   <li>{@code X11Setup}, {@code X11Connection}: the connection setup (no authentication or
 *       MIT-MAGIC-COOKIE-1, see {@link io.qair.agent.display.x11.X11Cookie}), sequence numbers,
 *       replies, errors, events.
 *   <li>{@code X11Requests}, {@code X11Event}, {@code X11Replies}: encoders and decoders.
 *   <li>{@code X11Atoms}, {@code WindowProperties}, {@code WindowTitles}: ICCCM/EWMH properties.
 *   <li>{@code WindowPacker}: non-overlapping placement; {@code ManagedWindows}: what the manager
 *       does; {@code X11WindowManager}: start-up and the event thread.
 * </ul>
 *
 * <p>The X server is the qube's and hostile. Every message is bounded (replies and generic events
 * 256 KiB; property reads capped with long-length: 16 KiB for names, 64 atoms for WM_PROTOCOLS),
 * every count is checked against the bytes that came, every wait has a deadline (5 s for the setup,
 * each reply, and the rest of any message once it began), at most 16,384 events are queued while a
 * reply is awaited, at most 256 windows and 256 popups are tracked, and titles are cut to 256 code
 * points with control characters removed. A violation closes the connection with an
 * {@link io.qair.agent.display.x11.X11ProtocolException}; the listener hears
 * {@code onClosed(cause)}. Events a client sent with SendEvent are ignored.
 */
package io.qair.agent.display.x11;
