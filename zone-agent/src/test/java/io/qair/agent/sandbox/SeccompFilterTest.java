package io.qair.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeccompFilterTest {
  @Test
  void smallProgramHasTheExpectedBytes() {
    byte[] prog = SeccompFilter.build(List.of(101), List.of(272), List.of(435));
    String expected = String.join("",
        "2000000004000000", //  0 ld [4]                  arch
        "1500000b3e0000c0", //  1 jeq x86_64 ? next : 13 (kill)
        "2000000000000000", //  2 ld [0]                  syscall number
        "3500090000000040", //  3 jge 0x40000000 (x32) ? 13 (kill) : next
        "1500060065000000", //  4 jeq ptrace ? 11 (EPERM)
        "15000600b3010000", //  5 jeq clone3 ? 12 (ENOSYS)
        "1500010010010000", //  6 jeq unshare ? 8 (check arg0)
        "060000000000ff7f", //  7 ret ALLOW
        "2000000010000000", //  8 ld [16]                 arg0, low word
        "4500010000000010", //  9 jset CLONE_NEWUSER ? 11 (EPERM) : next
        "060000000000ff7f", // 10 ret ALLOW
        "0600000001000500", // 11 ret ERRNO(EPERM)
        "0600000026000500", // 12 ret ERRNO(ENOSYS)
        "0600000000000080"); // 13 ret KILL_PROCESS
    assertThat(HexFormat.of().formatHex(prog)).isEqualTo(expected);
  }

  @Test
  void qubePolicyDeniesTheListedCallsAndFitsTheKernelLimit() {
    byte[] prog = SeccompFilter.qubePolicy();
    assertThat(prog.length % 8).isZero();
    assertThat(prog.length / 8).isLessThan(4096);
    ByteBuffer b = ByteBuffer.wrap(prog).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(12)).as("first check is the architecture").isEqualTo(SeccompFilter.AUDIT_ARCH_X86_64);
    assertThat(SeccompFilter.DENIED).containsKeys("keyctl", "add_key", "request_key", "bpf", "perf_event_open",
        "userfaultfd", "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "mount",
        "umount2", "pivot_root", "ptrace", "open_by_handle_at", "reboot", "swapon", "swapoff", "syslog");
    for (int nr : SeccompFilter.DENIED.values()) {
      assertThat(jumpsToErrno(b, nr)).as("syscall %d is denied", nr).isTrue();
    }
  }

  /** True if some JEQ on {@code nr} jumps to a RET ERRNO(EPERM). */
  private static boolean jumpsToErrno(ByteBuffer b, int nr) {
    for (int pc = 0; pc < b.capacity() / 8; pc++) {
      if (b.getShort(pc * 8) == 0x15 && b.getInt(pc * 8 + 4) == nr) {
        int target = pc + 1 + (b.get(pc * 8 + 2) & 0xff);
        return b.getShort(target * 8) == 0x06 && b.getInt(target * 8 + 4) == (SeccompFilter.RET_ERRNO | SeccompFilter.EPERM);
      }
    }
    return false;
  }
}
