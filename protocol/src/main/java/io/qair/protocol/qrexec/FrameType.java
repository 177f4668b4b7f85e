package io.qair.protocol.qrexec;

/** Frame types. The numeric codes are wire format: never renumber. */
public enum FrameType {
  STDIN(0),
  STDOUT(1),
  STDERR(2),
  /** Payload: the exit code as big-endian u32. Last frame of a call. */
  EXIT(3),
  /** Payload: a UTF-8 message saying why the call failed before it ran. Followed by EXIT. */
  ERROR(4),
  /** Guest daemon to agent, first frame of its control connection. Payload: version text. */
  HELLO(0x20),
  /** Agent to guest daemon: run a command. Payload: u32 id, u32 argc, argv and env as NUL-terminated strings. */
  EXEC(0x21),
  /** Guest daemon to agent, first frame of a data connection. Payload: u32 id. */
  DATA_HELLO(0x22),
  /** A qube asks to call a service. Payload: "TARGET\0SERVICE+ARG\0". */
  CALL(0x23),
  /**
   * Agent to guest daemon: run a command as root (a TemplateVM's guest runs as root inside its user
   * namespace; any other guest refuses it with ERROR and EXIT 126). Payload as {@link #EXEC}.
   */
  EXEC_ROOT(0x24);

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  private static final FrameType[] BY_CODE = new FrameType[256];

  static {
    for (FrameType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  /** The type with this code, or null if the code is unknown. */
  public static FrameType of(int code) {
    return code >= 0 && code < 256 ? BY_CODE[code] : null;
  }
}
