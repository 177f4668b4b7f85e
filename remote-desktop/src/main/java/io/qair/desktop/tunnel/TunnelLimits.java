package io.qair.desktop.tunnel;

/** Every bound the tunnel puts on what the browser and the agent may send. */
public final class TunnelLimits {
  /** Largest WebSocket message from the browser (it sends small input instructions only). */
  public static final int BROWSER_MESSAGE = 16 * 1024;
  /** Instructions per browser message. */
  public static final int BROWSER_INSTRUCTIONS = 256;
  /** Largest WebSocket message from an agent: a frame of image blobs, or a clipboard. */
  public static final int AGENT_MESSAGE = 8 * 1024 * 1024;
  /** Instructions per agent message. */
  public static final int AGENT_INSTRUCTIONS = 20_000;
  /** Largest clipboard text, in UTF-8 bytes. */
  public static final int CLIPBOARD_BYTES = 256 * 1024;
  /** Code points per clipboard element on the wire (guacamole-common's element limit). */
  public static final int CLIPBOARD_ELEMENT = 8192;
  /** Code points of a window title after the gateway's cut. */
  public static final int TITLE = 128;
  /** Code points of an agent error message shown to the user. */
  public static final int ERROR_MESSAGE = 256;
  /** Largest window width or height, and coordinate magnitude. */
  public static final int MAX_DIMENSION = 16384;
  /** Largest cursor image. */
  public static final int MAX_CURSOR = 256;
  /** Windows (layers) one qube may have at once; buffers are -1 .. -MAX_BUFFERS. */
  public static final int MAX_WINDOWS = 256;
  public static final int MAX_BUFFERS = 16;
  /** Image streams open at once. */
  public static final int MAX_STREAMS = 64;
  /** Tunnels one session may have open. */
  public static final int TUNNELS_PER_SESSION = 32;
  /** How long a qube has to answer {@code qair-clipboard-get}. */
  public static final long CLIPBOARD_TIMEOUT_MS = 5_000;
  /** How long the dial to the agent may take. */
  public static final long CONNECT_TIMEOUT_MS = 10_000;

  private TunnelLimits() {}
}
