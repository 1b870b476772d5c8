package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, with a fresh profile, driven through chromedriver; and the few ways
 * the dashboard tests read Vaadin pages. Needs {@code chromium} and {@code chromium-driver}, which
 * {@code scripts/test} installs.
 */
final class HeadlessChromium implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  final ChromeDriver driver;
  final WebDriverWait wait;
  private final Path profile;

  HeadlessChromium() {
    assertThat(CHROMIUM).as("Chromium (apt-get install chromium chromium-driver)").isExecutable();
    assertThat(CHROMEDRIVER).as("chromedriver (apt-get install chromium-driver)").isExecutable();
    try {
      profile = Files.createTempDirectory("switchboard-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1440,900",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    // a page that reloads or re-renders replaces the element being read: read it again
    wait.ignoring(StaleElementReferenceException.class);
  }

  /**
   * Text of the grid's cells (headers included): Vaadin renders them as light-DOM cell contents.
   */
  List<String> cells(String gridId) {
    return driver.findElements(By.cssSelector("#" + gridId + " vaadin-grid-cell-content")).stream()
        .map(WebElement::getText)
        .map(String::strip)
        .toList();
  }

  void waitForCells(String gridId, Predicate<List<String>> condition) {
    wait.until((WebDriver d) -> condition.test(cells(gridId)));
  }

  WebElement cell(String gridId, String text) {
    return driver.findElements(By.cssSelector("#" + gridId + " vaadin-grid-cell-content")).stream()
        .filter(cell -> cell.getText().strip().equals(text))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cell '" + text + "' in " + cells(gridId)));
  }

  /**
   * The element with this id, once it is on the page and shown, scrolled to the middle of the
   * window (pages grow: one below the fold would have its click land on whatever covers that
   * point).
   */
  WebElement visible(String id) {
    WebElement element =
        wait.until(
            (WebDriver d) ->
                d.findElements(By.id(id)).stream()
                    .filter(HeadlessChromium::shown)
                    .findFirst()
                    .orElse(null));
    driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
    return element;
  }

  /**
   * Whether the element is shown; false for one the page replaced meanwhile (Vaadin re-renders),
   * which ChromeDriver reports either as stale or as a node that "does not belong to the document".
   */
  private static boolean shown(WebElement element) {
    try {
      return element.isDisplayed();
    } catch (StaleElementReferenceException replaced) {
      return false;
    } catch (WebDriverException e) {
      if (replaced(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Whether ChromeDriver's error says the element was replaced in the page. */
  private static boolean replaced(WebDriverException e) {
    return e instanceof StaleElementReferenceException
        || e.getMessage() != null && e.getMessage().contains("does not belong to the document");
  }

  /** Types into the input inside a Vaadin field. */
  void type(String fieldId, String text) {
    WebElement input = visible(fieldId).findElement(By.cssSelector("input"));
    input.clear();
    input.sendKeys(text);
  }

  /** Waits until the element's text satisfies the condition, and returns it. */
  String waitForText(String id, Predicate<String> condition) {
    return wait.until(
        (WebDriver d) -> {
          String text;
          try {
            text = visible(id).getText();
          } catch (WebDriverException e) {
            if (!replaced(e)) {
              throw e;
            }
            return null; // replaced while read: read the new one
          }
          return condition.test(text) ? text : null;
        });
  }

  /** Signs in on the sign-in page and waits for the Keys page, where sign-in leads. */
  void signIn(RunningSwitchboard switchboard, String email, String password) {
    driver.get(switchboard.uri("/signin").toString());
    type("signin-email", email);
    type("signin-password", password);
    visible("signin-submit").click();
    wait.until((WebDriver d) -> d.getCurrentUrl().endsWith("/keys"));
  }

  /** Selects one of the signed-in member's organizations in the header's switcher. */
  void selectOrganization(String name) {
    visible("organization-switcher").click();
    wait.until(
            ExpectedConditions.elementToBeClickable(
                By.xpath("//vaadin-select-item[contains(., '" + name + "')]")))
        .click();
    waitForText("organization-switcher", text -> text.contains(name));
    wait.until((WebDriver d) -> vaadinIsIdle());
  }

  /** Whether the page's Vaadin client has no request to the server in flight. */
  boolean vaadinIsIdle() {
    return Boolean.TRUE.equals(
        driver.executeScript(
            "return !!(window.Vaadin && window.Vaadin.Flow && window.Vaadin.Flow.clients)"
                + " && Object.values(window.Vaadin.Flow.clients)"
                + ".every(c => !c.isActive || !c.isActive());"));
  }

  /** A screenshot of the settled page, in {@code target/screenshots}. */
  void screenshot(String name) {
    // let the grids finish loading and sizing their columns, so the picture shows the settled page
    wait.until(
        (WebDriver d) ->
            Boolean.TRUE.equals(
                driver.executeScript(
                    "return [...document.querySelectorAll('vaadin-grid')]"
                        + ".every(g => !g.hasAttribute('loading') && !g._debouncerUpdateColumnWidths"
                        + "?.isActive())")));
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.write(SCREENSHOTS.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Screenshots at desktop width and at a 390 px phone width. */
  void screenshots(String name) {
    screenshot(name + "-desktop.png");
    Dimension desktop = driver.manage().window().getSize();
    driver.manage().window().setSize(new Dimension(390, 844));
    screenshot(name + "-narrow.png");
    driver.manage().window().setSize(desktop);
  }

  @Override
  public void close() {
    driver.quit();
    try (var paths = Files.walk(profile)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
