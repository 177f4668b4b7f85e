package io.qair.agent.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.qair.protocol.agent.AppEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesktopEntriesTest {
  @TempDir Path tmp;

  @Test
  void readsApplicationsAndDropsFieldCodes() {
    AppEntry e = DesktopEntries.parse("xterm", """
        [Desktop Entry]
        Type=Application
        Name=XTerm
        Name[de]=XTerm (de)
        Exec=xterm -T "my term" %U
        Terminal=false
        [Desktop Action new]
        Exec=evil
        """).orElseThrow();
    assertThat(e).isEqualTo(new AppEntry("xterm", "XTerm", List.of("xterm", "-T", "my term"), false));
  }

  @Test
  void hiddenBrokenOrNonApplicationEntriesAreSkipped() {
    assertThat(DesktopEntries.parse("a", "[Desktop Entry]\nType=Link\nName=x\nExec=x")).isEmpty();
    assertThat(DesktopEntries.parse("a", "[Desktop Entry]\nType=Application\nName=x\nExec=x\nNoDisplay=true")).isEmpty();
    assertThat(DesktopEntries.parse("a", "[Desktop Entry]\nType=Application\nName=x\nExec=\"unterminated")).isEmpty();
    assertThat(DesktopEntries.parse("a", "[Desktop Entry]\nType=Application\nName=\nExec=x")).isEmpty();
    assertThat(DesktopEntries.parse("a", "Type=Application\nName=x\nExec=x")).isEmpty();
    assertThat(DesktopEntries.parse("a", "[Desktop Entry]\nType=Application\nName=x\nExec=" + "a ".repeat(100))).isEmpty();
  }

  @Test
  void namesFromAQubeAreCleanedAndBounded() {
    AppEntry e = DesktopEntries.parse("a", "[Desktop Entry]\nType=Application\nName=\u202eevil\u0007" + "x".repeat(500)
        + "\nExec=x").orElseThrow();
    assertThat(e.name()).startsWith("evil").hasSize(80).doesNotContain("\u202e", "\u0007");
  }

  @Test
  void theQubesOwnEntriesOverrideTheTemplatesAndLinksOutOfTheHomeAreNotFollowed() throws Exception {
    Path tpl = Files.createDirectories(tmp.resolve("tpl/usr/share/applications"));
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path own = Files.createDirectories(home.resolve(".local/share/applications"));
    Files.writeString(tpl.resolve("xterm.desktop"), "[Desktop Entry]\nType=Application\nName=XTerm\nExec=xterm");
    Files.writeString(tpl.resolve("b.desktop"), "[Desktop Entry]\nType=Application\nName=Beta\nExec=b");
    Files.writeString(own.resolve("xterm.desktop"), "[Desktop Entry]\nType=Application\nName=My XTerm\nExec=xterm -rv");
    Files.createSymbolicLink(own.resolve("link.desktop"), tpl.resolve("b.desktop"));
    Files.writeString(own.resolve("huge.desktop"), "[Desktop Entry]\nType=Application\nName=H\nExec=h\n" + "#".repeat(70_000));
    List<AppEntry> apps = DesktopEntries.read(List.of(tpl, own), home);
    assertThat(apps).extracting(AppEntry::name).containsExactly("Beta", "My XTerm");

    // a home whose .local is a link to somewhere else offers nothing from there
    Path evilHome = Files.createDirectories(tmp.resolve("evil"));
    Files.createSymbolicLink(evilHome.resolve(".local"), tmp.resolve("tpl/usr"));
    assertThat(DesktopEntries.read(List.of(evilHome.resolve(".local/share/applications")), evilHome)).isEmpty();
  }
}
