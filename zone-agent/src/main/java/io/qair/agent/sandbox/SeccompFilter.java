package io.qair.agent.sandbox;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates the classic-BPF seccomp program that bubblewrap loads ({@code --seccomp FD}) before it
 * runs the qube's main process. x86_64 only: any other architecture (and the x32 ABI) is killed.
 *
 * <p>Denied with EPERM: kernel keyrings, eBPF, perf, userfaultfd, kexec, modules, every mount API,
 * ptrace and cross-process memory access, handle-based opens, reboot, swap, syslog, setns,
 * io_uring, and {@code clone}/{@code unshare} with {@code CLONE_NEWUSER} (no nested user
 * namespaces). {@code clone3} answers ENOSYS, because its flags sit behind a pointer a filter
 * cannot read; the C library then falls back to {@code clone}, which the filter can check.
 */
public final class SeccompFilter {
  static final int AUDIT_ARCH_X86_64 = 0xc000003e;
  static final int X32_SYSCALL_BIT = 0x40000000;
  static final int CLONE_NEWUSER = 0x10000000;
  static final int RET_ALLOW = 0x7fff0000;
  static final int RET_ERRNO = 0x00050000;
  static final int RET_KILL_PROCESS = 0x80000000;
  static final int EPERM = 1;
  static final int ENOSYS = 38;

  private static final short LD_W_ABS = 0x20;
  private static final short JEQ_K = 0x15;
  private static final short JGE_K = 0x35;
  private static final short JSET_K = 0x45;
  private static final short RET_K = 0x06;
  private static final int OFF_NR = 0;
  private static final int OFF_ARCH = 4;
  private static final int OFF_ARG0_LOW = 16;

  /** x86_64 system calls a qube may not make (EPERM). */
  static final Map<String, Integer> DENIED = new LinkedHashMap<>();
  /** x86_64 system calls denied only when their first argument has CLONE_NEWUSER. */
  static final Map<String, Integer> DENIED_WITH_NEWUSER = new LinkedHashMap<>();
  static final Map<String, Integer> NOT_IMPLEMENTED = new LinkedHashMap<>();

  static {
    DENIED.put("ptrace", 101);
    DENIED.put("syslog", 103);
    DENIED.put("vhangup", 153);
    DENIED.put("pivot_root", 155);
    DENIED.put("acct", 163);
    DENIED.put("mount", 165);
    DENIED.put("umount2", 166);
    DENIED.put("swapon", 167);
    DENIED.put("swapoff", 168);
    DENIED.put("reboot", 169);
    DENIED.put("iopl", 172);
    DENIED.put("ioperm", 173);
    DENIED.put("init_module", 175);
    DENIED.put("delete_module", 176);
    DENIED.put("quotactl", 179);
    DENIED.put("lookup_dcookie", 212);
    DENIED.put("kexec_load", 246);
    DENIED.put("add_key", 248);
    DENIED.put("request_key", 249);
    DENIED.put("keyctl", 250);
    DENIED.put("perf_event_open", 298);
    DENIED.put("name_to_handle_at", 303);
    DENIED.put("open_by_handle_at", 304);
    DENIED.put("setns", 308);
    DENIED.put("process_vm_readv", 310);
    DENIED.put("process_vm_writev", 311);
    DENIED.put("finit_module", 313);
    DENIED.put("kexec_file_load", 320);
    DENIED.put("bpf", 321);
    DENIED.put("userfaultfd", 323);
    DENIED.put("io_uring_setup", 425);
    DENIED.put("io_uring_enter", 426);
    DENIED.put("io_uring_register", 427);
    DENIED.put("open_tree", 428);
    DENIED.put("move_mount", 429);
    DENIED.put("fsopen", 430);
    DENIED.put("fsconfig", 431);
    DENIED.put("fsmount", 432);
    DENIED.put("fspick", 433);
    DENIED.put("mount_setattr", 442);
    DENIED_WITH_NEWUSER.put("clone", 56);
    DENIED_WITH_NEWUSER.put("unshare", 272);
    NOT_IMPLEMENTED.put("clone3", 435);
  }

  private SeccompFilter() {}

  /** The qube policy as bytes ready for {@code bwrap --seccomp}. */
  public static byte[] qubePolicy() {
    return build(List.copyOf(DENIED.values()), List.copyOf(DENIED_WITH_NEWUSER.values()),
        List.copyOf(NOT_IMPLEMENTED.values()));
  }

  /**
   * Builds a program: kill foreign architectures and x32, EPERM for {@code denied}, EPERM for
   * {@code deniedWithNewUser} when arg0 has CLONE_NEWUSER, ENOSYS for {@code notImplemented},
   * allow the rest. Each instruction is {@code struct sock_filter} in little-endian order.
   */
  static byte[] build(List<Integer> denied, List<Integer> deniedWithNewUser, List<Integer> notImplemented) {
    List<int[]> prog = new ArrayList<>(); // {code, jt-label, jf-label, k}; labels resolved below
    final int next = -1;
    final int deny = -3;
    final int enosys = -4;
    final int kill = -5;
    final int checkArg = -6;
    prog.add(new int[] {LD_W_ABS, 0, 0, OFF_ARCH});
    prog.add(new int[] {JEQ_K, next, kill, AUDIT_ARCH_X86_64});
    prog.add(new int[] {LD_W_ABS, 0, 0, OFF_NR});
    prog.add(new int[] {JGE_K, kill, next, X32_SYSCALL_BIT});
    for (int nr : denied) {
      prog.add(new int[] {JEQ_K, deny, next, nr});
    }
    for (int nr : notImplemented) {
      prog.add(new int[] {JEQ_K, enosys, next, nr});
    }
    for (int nr : deniedWithNewUser) {
      prog.add(new int[] {JEQ_K, checkArg, next, nr});
    }
    prog.add(new int[] {RET_K, 0, 0, RET_ALLOW});
    int checkArgAt = -1;
    if (!deniedWithNewUser.isEmpty()) {
      checkArgAt = prog.size();
      prog.add(new int[] {LD_W_ABS, 0, 0, OFF_ARG0_LOW});
      prog.add(new int[] {JSET_K, deny, next, CLONE_NEWUSER});
      prog.add(new int[] {RET_K, 0, 0, RET_ALLOW});
    }
    int denyAt = prog.size();
    prog.add(new int[] {RET_K, 0, 0, RET_ERRNO | EPERM});
    int enosysAt = prog.size();
    prog.add(new int[] {RET_K, 0, 0, RET_ERRNO | ENOSYS});
    int killAt = prog.size();
    prog.add(new int[] {RET_K, 0, 0, RET_KILL_PROCESS});

    ByteBuffer out = ByteBuffer.allocate(prog.size() * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int pc = 0; pc < prog.size(); pc++) {
      int[] ins = prog.get(pc);
      int[] targets = {0, 0};
      if (ins[0] != LD_W_ABS && ins[0] != RET_K) {
        for (int j = 0; j < 2; j++) {
          int label = ins[1 + j];
          int target = switch (label) {
            case next -> pc + 1;
            case deny -> denyAt;
            case enosys -> enosysAt;
            case kill -> killAt;
            case checkArg -> checkArgAt;
            default -> throw new IllegalStateException("bad label " + label);
          };
          int offset = target - (pc + 1);
          if (offset < 0 || offset > 255) {
            throw new IllegalStateException("seccomp jump out of range: " + offset);
          }
          targets[j] = offset;
        }
      }
      out.putShort((short) ins[0]).put((byte) targets[0]).put((byte) targets[1]).putInt(ins[3]);
    }
    return out.array();
  }
}
