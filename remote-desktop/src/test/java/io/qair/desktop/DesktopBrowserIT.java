package io.qair.desktop;

import static io.qair.desktop.fake.GatewayHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.qair.desktop.fake.FakeAgent;
import io.qair.desktop.fake.GatewayHarness;
import io.qair.protocol.Label;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The desktop in real headless Chromium (Debian's chromium + chromedriver) against the gateway, a
 * fake master and a fake zone agent: log in, open xterm in work (blue) and untrusted (red, which
 * draws a blue fake frame inside its window), check the frames pixel by pixel and the titles,
 * move, resize, type into one window only, paste across qubes through the page's dialog, and
 * answer a qrexec ask.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DesktopBrowserIT {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  static final int W = 400;
  static final int H = 240;

  @TempDir
  static Path tmp;
  static GatewayHarness h;
  static ChromeDriver driver;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
      throw new AssertionError(CHROMIUM + " and " + CHROMEDRIVER + " are needed: run scripts/install-deps.sh --test");
    }
    h = new GatewayHarness(tmp);
    h.master.onExec = (qube, argv) -> {
      List<FakeAgent.Display> d = h.agent.displays(qube);
      if (!d.isEmpty() && argv.equals(List.of("xterm"))) {
        boolean hostile = qube.equals("untrusted");
        d.get(d.size() - 1).window(1, W, H, "xterm", hostile ? Color.WHITE : Color.LIGHT_GRAY,
            hostile ? Color.decode(Label.BLUE.color()) : null);
      }
    };
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--ignore-certificate-errors",
        "--window-size=1280,900", "--force-device-scale-factor=1", "--force-color-profile=srgb", "--hide-scrollbars");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
  }

  @AfterAll
  static void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    h.close();
  }

  static WebElement window(String qube) {
    return driver.findElement(By.cssSelector(".qwin[data-qube='" + qube + "']"));
  }

  static BufferedImage screenshot(String name) throws Exception {
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    Files.write(Path.of("target", name), png);
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  static FakeAgent.Display display(String qube) {
    List<FakeAgent.Display> d = h.agent.displays(qube);
    return d.get(d.size() - 1);
  }

  @Test
  @Order(1)
  void logsInAndSeesTheQubeMenu() throws Exception {
    driver.get(h.origin() + "/");
    wait.until(ExpectedConditions.urlContains("/login.html"));
    driver.findElement(By.id("password")).sendKeys(h.password());
    driver.findElement(By.id("login-button")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("qube-menu-button"))).click();
    // the menu is drawn again whenever the qube list changes: look things up afresh
    wait.until(d -> d.findElement(By.cssSelector(".qube-row[data-qube='work'] .qube-state")).getText().equals("running"));
    wait.until(d -> d.findElement(By.cssSelector(".zone-header[data-zone='local']")).getText().equals("Zone local"));
    wait.until(d -> d.findElement(By.cssSelector(".qube-row[data-qube='work'] .swatch")).getCssValue("background-color")
        .equals("rgba(52, 101, 164, 1)"));
    eventually(() -> !h.agent.displays("work").isEmpty() && !h.agent.displays("untrusted").isEmpty(),
        "the page to open the displays of the running qubes");
  }

  @Test
  @Order(2)
  void opensXtermInTwoQubes() {
    for (String qube : List.of("work", "untrusted")) {
      if (!driver.findElement(By.id("qube-menu")).isDisplayed()) {
        driver.findElement(By.id("qube-menu-button")).click();
      }
      driver.findElement(By.cssSelector(".qube-row[data-qube='" + qube + "'] .qube-apps")).click();
      wait.until(ExpectedConditions.elementToBeClickable(
          By.cssSelector(".app-list[data-qube='" + qube + "'] .app[data-app='xterm']"))).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".qwin[data-qube='" + qube + "']")));
    }
    assertThat(h.master.execs).containsExactly(List.of("xterm"), List.of("xterm"));
    assertThat(window("work").findElement(By.className("qwin-title-text")).getText()).isEqualTo("[work] xterm");
    assertThat(window("untrusted").findElement(By.className("qwin-title-text")).getText()).isEqualTo("[untrusted] xterm");
  }

  @Test
  @Order(3)
  void framesAreExactlyTheLabelColours() throws Exception {
    // move them apart so neither covers the other
    drag(window("untrusted").findElement(By.className("qwin-title-text")), 560, 300);
    wait.until(d -> window("untrusted").getRect().getX() > 500);
    Thread.sleep(300); // let the last frame paint before the screenshot
    BufferedImage shot = screenshot("desktop-browser-it.png");
    assertFrame(shot, window("work").getRect(), Label.BLUE);
    assertFrame(shot, window("untrusted").getRect(), Label.RED);
    // untrusted drew a blue "frame" inside its window: it is there, inside the red one
    Rectangle u = window("untrusted").getRect();
    assertThat(rgb(shot, u.getX() + 5 + 2, u.getY() + 5 + 24 + 40)).isEqualTo(Label.BLUE.color());
  }

  @Test
  @Order(4)
  void movesAndResizesAWindow() throws Exception {
    WebElement work = window("work");
    Rectangle before = work.getRect();
    drag(work.findElement(By.className("qwin-title-text")), 70, 40);
    wait.until(d -> window("work").getRect().getX() == before.getX() + 70);
    assertThat(window("work").getRect().getY()).isEqualTo(before.getY() + 40);

    // drag the bottom-right corner of the frame
    Rectangle r = window("work").getRect();
    new Actions(driver).moveToElement(window("work"), r.getWidth() / 2 - 2, r.getHeight() / 2 - 2)
        .clickAndHold().moveByOffset(40, 20).moveByOffset(40, 30).release().perform();
    String resize = "11.qair-resize,1.1,3." + (W + 80) + ",3." + (H + 50) + ";";
    eventually(() -> display("work").received.contains(resize), "the agent to be asked to resize: " + resize);
  }

  @Test
  @Order(5)
  void typingGoesToTheFocusedWindowOnly() throws Exception {
    new Actions(driver).moveToElement(window("work").findElement(By.className("qwin-content"))).click().perform();
    new Actions(driver).sendKeys("ab").perform();
    eventually(() -> display("work").received.contains("3.key,2.98,1.0;"), "work to receive b");
    assertThat(display("work").received).contains("3.key,2.97,1.1;", "10.qair-focus,1.1;");
    assertThat(display("untrusted").received).noneMatch(i -> i.startsWith("3.key"));

    new Actions(driver).moveToElement(window("untrusted").findElement(By.className("qwin-content"))).click().perform();
    new Actions(driver).sendKeys("c").perform();
    eventually(() -> display("untrusted").received.contains("3.key,2.99,0.0;".replace("0.0", "1.0")), "untrusted to receive c");
    assertThat(display("work").received).noneMatch(i -> i.startsWith("3.key,2.99"));
  }

  @Test
  @Order(6)
  void copyAndPasteGoThroughThePolicyAndAPageDialog() throws Exception {
    h.master.clipboardPolicy = (source, target) -> "ask";
    h.agent.clipboards.put("work", "from work");
    new Actions(driver).moveToElement(window("work").findElement(By.className("qwin-content"))).click().perform();
    new Actions(driver).keyDown(Keys.CONTROL).keyDown(Keys.SHIFT).sendKeys("c").keyUp(Keys.SHIFT).keyUp(Keys.CONTROL)
        .perform();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notices"), "Copied 9 characters from work"));
    new Actions(driver).moveToElement(window("untrusted").findElement(By.className("qwin-content"))).click().perform();
    new Actions(driver).keyDown(Keys.CONTROL).keyDown(Keys.SHIFT).sendKeys("v").keyUp(Keys.SHIFT).keyUp(Keys.CONTROL)
        .perform();
    WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.className("paste-dialog")));
    assertThat(dialog.getText()).contains("Paste 9 characters copied from work into untrusted?");
    assertThat(h.agent.clipboards).doesNotContainKey("untrusted");
    dialog.findElement(By.className("paste-allow")).click();
    eventually(() -> "from work".equals(h.agent.clipboards.get("untrusted")), "the paste");
    assertThat(display("untrusted").received).noneMatch(i -> i.startsWith("3.key,2.118")); // no 'v' typed
  }

  @Test
  @Order(7)
  void anAskIsAnsweredInThePage() throws Exception {
    h.master.asks.add(new JsonObject().put("id", "ask-7").put("service", "qubes.Filecopy").put("source", "work")
        .put("target", "@default").put("targets", new JsonArray().add("untrusted").add("vault"))
        .put("defaultTarget", "vault").put("createdAt", 1).put("expiresAt", Long.MAX_VALUE));
    h.master.emit("policy-ask", "ask-7", new JsonObject().put("service", "qubes.Filecopy"));
    WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.className("ask-dialog")));
    assertThat(dialog.getText()).contains("work wants to call qubes.Filecopy");
    WebElement target = dialog.findElement(By.className("ask-target"));
    assertThat(target.getAttribute("value")).isEqualTo("vault");
    new org.openqa.selenium.support.ui.Select(target).selectByVisibleText("untrusted");
    dialog.findElement(By.className("ask-allow")).click();
    eventually(() -> !h.master.answers.isEmpty(), "the master to get the answer");
    assertThat(h.master.answers.get(0)).isEqualTo(new JsonObject().put("allow", true).put("target", "untrusted")
        .put("id", "ask-7"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.className("ask-dialog")));
  }

  @Test
  @Order(8)
  void aPopupStaysInsideItsParentsFrame() throws Exception {
    Rectangle u = window("untrusted").getRect();
    FakeAgent.Display d = display("untrusted");
    // a 600x400 green menu at (300, 150) in a 400x240 window: most of it would fall outside
    d.send(io.qair.desktop.tunnel.GuacamoleCodec.encode("size", "2", "600", "400")
        + io.qair.desktop.tunnel.GuacamoleCodec.encode("qair-window", "2", "popup", "1", "300", "150", "menu")
        + d.image(2, 0, 0, FakeAgent.png(600, 400, Color.GREEN, null))
        + io.qair.desktop.tunnel.GuacamoleCodec.encode("sync", "99"));
    WebElement popup = wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector(".qwin[data-qube='untrusted'] .qwin-content .qwin-popup[data-layer='2']")));
    assertThat(popup.getAttribute("class")).doesNotContain("qwin ");
    eventually(() -> display("untrusted").received.contains("4.sync,2.99;"), "the menu to be painted");
    BufferedImage shot = screenshot("desktop-popup-it.png");
    assertThat(rgb(shot, u.getX() + 5 + 310, u.getY() + 5 + 24 + 160)).isEqualTo("#00ff00"); // inside: drawn
    assertFrame(shot, window("untrusted").getRect(), Label.RED);                             // frame intact
    assertThat(rgb(shot, u.getX() + u.getWidth() + 20, u.getY() + 5 + 24 + 200)).as("right of the frame")
        .isNotEqualTo("#00ff00");
    assertThat(rgb(shot, u.getX() + 300, u.getY() + u.getHeight() + 20)).as("below the frame")
        .isNotEqualTo("#00ff00");
  }

  static void drag(WebElement handle, int dx, int dy) {
    new Actions(driver).clickAndHold(handle).moveByOffset(dx / 2, dy / 2).moveByOffset(dx - dx / 2, dy - dy / 2)
        .release().perform();
  }

  static void assertFrame(BufferedImage shot, Rectangle r, Label label) {
    PageAssertions.frameIs(shot, r, label);
    assertThat(r.getWidth()).isEqualTo(W + 10);
    assertThat(r.getHeight()).isEqualTo(H + 24 + 10);
  }

  static String rgb(BufferedImage img, int x, int y) {
    return PageAssertions.rgb(img, x, y);
  }
}
