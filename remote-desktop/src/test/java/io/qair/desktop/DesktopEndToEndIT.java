package io.qair.desktop;

import static io.qair.desktop.fake.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.qair.controlplane.Master;
import io.qair.controlplane.cli.CliEnv;
import io.qair.controlplane.cli.QairCli;
import io.qair.controlplane.store.ZoneState;
import io.qair.controlplane.zone.AgentZoneLayer;
import io.qair.protocol.Label;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole desktop for real: a master, its local zone agent (a separate process), sandboxed qubes
 * with their own Xvnc, the gateway, and headless Chromium. Log in, open xterm in work (blue) and
 * untrusted (red) from the menu, check the frames and titles, type into one qube only, resize,
 * copy from one qube to the other through Ctrl+Shift+C / Ctrl+Shift+V and the policy's ask, answer
 * a qrexec ask in the page, and see a window started from the CLI.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DesktopEndToEndIT {
  @TempDir static Path home;
  static Vertx vertx;
  static Master master;
  static Gateway gateway;
  static ChromeDriver driver;
  static WebDriverWait wait;

  record Result(int exit, String out, String err) {}

  @BeforeAll
  static void up() throws Exception {
    Path dist = Path.of("..", "zone-agent", "target").toAbsolutePath().normalize();
    Path templateRoot = Path.of(System.getenv().getOrDefault("QAIR_TEST_TEMPLATE_ROOT",
        "/var/cache/qair/templates/debian-12/root"));
    Assumptions.assumeTrue(Files.isDirectory(dist.resolve("lib")), "zone-agent is not packaged");
    Assumptions.assumeTrue(Files.isDirectory(templateRoot.resolve("bin")), "no template at " + templateRoot);
    if (!new File(DesktopBrowserIT.CHROMIUM).canExecute() || !new File(DesktopBrowserIT.CHROMEDRIVER).canExecute()) {
      throw new AssertionError("chromium and chromedriver are needed: run scripts/install-deps.sh --test");
    }
    System.setProperty("qair.adapter.agent.dist", dist.toString());
    System.setProperty("qair.adapter.agent.templates-dir", templateRoot.getParent().getParent().toString());
    System.setProperty("qair.adapter.agent.jvm-options", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1");
    vertx = Vertx.vertx();
    master = await(Master.builder(vertx, home.resolve("master")).port(0).askTimeout(Duration.ofSeconds(60))
        .zoneLayer(new AgentZoneLayer.Factory()).start());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (master.store().zone("local").map(z -> z.state() != ZoneState.READY).orElse(true)) {
      assertThat(System.nanoTime()).as("the local zone is not ready").isLessThan(deadline);
      Thread.sleep(100);
    }
    ok(qair("qube", "create", "work", "--label", "blue", "--mem", "400", "--vcpus", "1"));
    ok(qair("qube", "create", "untrusted", "--label", "red", "--mem", "400", "--vcpus", "1"));
    ok(qair("qube", "start", "work"));
    ok(qair("qube", "start", "untrusted"));
    gateway = await(Gateway.start(vertx, GatewayOptions.forMaster(home.resolve("gateway"), 0,
        URI.create("https://127.0.0.1:" + master.port()), home.resolve("master"))));

    ChromeOptions options = new ChromeOptions();
    options.setBinary(DesktopBrowserIT.CHROMIUM);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--ignore-certificate-errors",
        "--window-size=1400,1000", "--force-device-scale-factor=1", "--force-color-profile=srgb", "--hide-scrollbars");
    driver = new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DesktopBrowserIT.CHROMEDRIVER)).usingAnyFreePort().build(), options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  @AfterAll
  static void down() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (gateway != null) {
      await(gateway.close());
    }
    if (master != null) {
      await(master.stop());
    }
    if (vertx != null) {
      vertx.close();
    }
  }

  @Test
  @Order(1)
  void logsInAndOpensXtermInTwoQubesFromTheMenu() throws Exception {
    driver.get(gateway.url() + "/");
    wait.until(ExpectedConditions.urlContains("/login.html"));
    driver.findElement(By.id("password")).sendKeys(Files.readString(gateway.firstLoginPasswordFile()).strip());
    driver.findElement(By.id("login-button")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("qube-menu-button")));
    for (String qube : new String[] {"work", "untrusted"}) {
      if (!driver.findElement(By.id("qube-menu")).isDisplayed()) {
        driver.findElement(By.id("qube-menu-button")).click();
      }
      wait.until(d -> d.findElement(By.cssSelector(".qube-row[data-qube='" + qube + "'] .qube-state")).getText()
          .equals("running"));
      driver.findElement(By.cssSelector(".qube-row[data-qube='" + qube + "'] .qube-apps")).click();
      // the menu lists the template's real .desktop files (debian-xterm.desktop)
      wait.until(ExpectedConditions.elementToBeClickable(
          By.cssSelector(".app-list[data-qube='" + qube + "'] .app[data-app='debian-xterm']"))).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".qwin[data-qube='" + qube + "']")));
    }
    wait.until(d -> title("work").equals("[work] xterm") && title("untrusted").equals("[untrusted] xterm"));
    drag(window("untrusted").findElement(By.className("qwin-title-text")), 620, 380);
    wait.until(d -> window("untrusted").getRect().getX() > 600);
    Thread.sleep(1000); // the xterms' first frames
    BufferedImage shot = screenshot("desktop-e2e.png");
    PageAssertions.frameIs(shot, window("work").getRect(), Label.BLUE);
    PageAssertions.frameIs(shot, window("untrusted").getRect(), Label.RED);
    // xterm's white background, streamed from the qube's X server, inside the frame
    var w = window("work").findElement(By.className("qwin-content")).getRect();
    assertThat(PageAssertions.rgb(shot, w.getX() + w.getWidth() - 10, w.getY() + w.getHeight() - 10)).isEqualTo("#ffffff");
  }

  @Test
  @Order(2)
  void typingGoesIntoTheFocusedQubeOnly() throws Exception {
    click("work", 100, 100);
    new Actions(driver).sendKeys("echo typed-in-work > ~/typed" + Keys.ENTER).perform();
    eventually(() -> qair("run", "work", "--", "cat", "typed").out().equals("typed-in-work\n"), "the command typed in work");
    assertThat(qair("run", "untrusted", "--", "sh", "-c", "ls ~/typed 2>&1 || true").out()).contains("No such file");
  }

  @Test
  @Order(3)
  void resizingTheFrameResizesTheXWindow() throws Exception {
    WebElement content = window("work").findElement(By.className("qwin-content"));
    var before = content.getRect();
    var r = window("work").getRect();
    new Actions(driver).moveToElement(window("work"), r.getWidth() / 2 - 2, r.getHeight() / 2 - 2)
        .clickAndHold().moveByOffset(40, 20).moveByOffset(60, 40).release().perform();
    eventually(() -> window("work").findElement(By.className("qwin-content")).getRect().getWidth() > before.getWidth(),
        "the frame to grow");
    int want = window("work").findElement(By.className("qwin-content")).getRect().getWidth();
    eventually(() -> qair("run", "work", "--", "sh", "-c", "xwininfo -name xterm | grep Width:").out()
        .contains("Width: " + want), "the X window to be " + want + " wide");
  }

  @Test
  @Order(4)
  void theClipboardCrossesQubesOnlyThroughTheKeysAndThePolicy() throws Exception {
    click("work", 100, 100);
    new Actions(driver).sendKeys("clear; echo e2eclipword" + Keys.ENTER).perform();
    Thread.sleep(800);
    // after `clear` the output is the first line of the terminal: double-click selects the word
    WebElement content = window("work").findElement(By.className("qwin-content"));
    new Actions(driver).moveToElement(content, -content.getRect().getWidth() / 2 + 20,
        -content.getRect().getHeight() / 2 + 7).doubleClick().perform();
    Thread.sleep(500);
    new Actions(driver).keyDown(Keys.CONTROL).keyDown(Keys.SHIFT).sendKeys("c").keyUp(Keys.SHIFT).keyUp(Keys.CONTROL)
        .perform();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notices"), "Copied 11 characters from work"));

    click("untrusted", 100, 100);
    new Actions(driver).keyDown(Keys.CONTROL).keyDown(Keys.SHIFT).sendKeys("v").keyUp(Keys.SHIFT).keyUp(Keys.CONTROL)
        .perform();
    // the default policy asks: qubes.ClipboardPaste * @anyvm @anyvm ask
    WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.className("paste-dialog")));
    assertThat(dialog.getText()).contains("copied from work into untrusted");
    dialog.findElement(By.className("paste-allow")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.className("paste-dialog")));
    // the text is now untrusted's selection: type a command around a middle-click paste
    click("untrusted", 100, 100);
    new Actions(driver).sendKeys("echo ").perform();
    WebElement u = window("untrusted").findElement(By.className("qwin-content"));
    Thread.sleep(300);
    middleClick(u);
    Thread.sleep(300);
    new Actions(driver).sendKeys(" > ~/pasted" + Keys.ENTER).perform();
    eventually(() -> qair("run", "untrusted", "--", "cat", "pasted").out().equals("e2eclipword\n"), "the pasted word");
    // the global clipboard was emptied by the paste
    new Actions(driver).keyDown(Keys.CONTROL).keyDown(Keys.SHIFT).sendKeys("v").keyUp(Keys.SHIFT).keyUp(Keys.CONTROL)
        .perform();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notices"), "clipboard is empty"));
  }

  @Test
  @Order(5)
  void aQrexecAskIsAnsweredInThePage() throws Exception {
    CompletableFuture<Result> copy = CompletableFuture.supplyAsync(() -> qair("run", "work", "--", "sh", "-c",
        "echo payload > ~/report.txt && qvm-copy-to-vm untrusted ~/report.txt"));
    WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.className("ask-dialog")));
    assertThat(dialog.getText()).contains("work wants to call qubes.Filecopy");
    new org.openqa.selenium.support.ui.Select(dialog.findElement(By.className("ask-target"))).selectByVisibleText("untrusted");
    dialog.findElement(By.className("ask-allow")).click();
    Result r = copy.get(60, TimeUnit.SECONDS);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(qair("run", "untrusted", "--", "cat", "QubesIncoming/work/report.txt").out()).isEqualTo("payload\n");
  }

  @Test
  @Order(6)
  void aWindowStartedFromTheCliAppearsInTheOpenDesktop() throws Exception {
    CompletableFuture.runAsync(() -> qair("run", "work", "--", "xterm", "-T", "from-the-cli"));
    wait.until(d -> d.findElements(By.cssSelector(".qwin[data-qube='work'] .qwin-title-text")).stream()
        .anyMatch(e -> e.getText().equals("[work] from-the-cli")));
    screenshot("desktop-e2e-cli.png");
  }

  // ---- helpers ----

  static WebElement window(String qube) {
    return driver.findElement(By.cssSelector(".qwin[data-qube='" + qube + "']"));
  }

  static String title(String qube) {
    var l = driver.findElements(By.cssSelector(".qwin[data-qube='" + qube + "'] .qwin-title-text"));
    return l.isEmpty() ? "" : l.get(0).getText();
  }

  static void click(String qube, int x, int y) {
    WebElement c = window(qube).findElement(By.className("qwin-content"));
    new Actions(driver).moveToElement(c, -c.getRect().getWidth() / 2 + x, -c.getRect().getHeight() / 2 + y).click()
        .perform();
  }

  static void middleClick(WebElement e) {
    var input = new org.openqa.selenium.interactions.PointerInput(
        org.openqa.selenium.interactions.PointerInput.Kind.MOUSE, "middle");
    var seq = new org.openqa.selenium.interactions.Sequence(input, 0)
        .addAction(input.createPointerMove(Duration.ZERO,
            org.openqa.selenium.interactions.PointerInput.Origin.fromElement(e), 0, 0))
        .addAction(input.createPointerDown(org.openqa.selenium.interactions.PointerInput.MouseButton.MIDDLE.asArg()))
        .addAction(input.createPointerUp(org.openqa.selenium.interactions.PointerInput.MouseButton.MIDDLE.asArg()));
    driver.perform(java.util.List.of(seq));
  }

  static void drag(WebElement handle, int dx, int dy) {
    new Actions(driver).clickAndHold(handle).moveByOffset(dx / 2, dy / 2).moveByOffset(dx - dx / 2, dy - dy / 2)
        .release().perform();
  }

  static BufferedImage screenshot(String name) throws Exception {
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    Files.write(Path.of("target", name), png);
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  static void ok(Result r) {
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
  }

  static Result qair(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path data = home.resolve("master");
    CliEnv env = new CliEnv(URI.create("https://127.0.0.1:" + master.port()), null, data.resolve("token"),
        data.resolve("ca/ca.pem"), new ByteArrayInputStream(new byte[0]), false, out, err);
    int exit = QairCli.commandLine(env).execute(args);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
