package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser against the built jar: the models list at {@code /} with the demo
 * catalog, the search filter, and a model's page. Needs Debian's {@code chromium} and {@code
 * chromium-driver}, which {@code scripts/test} installs.
 */
@ExtendWith(SwitchboardExtension.class)
class DashboardBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private Path profile;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void openBrowser() throws IOException {
    assertThat(CHROMIUM).as("Chromium (apt-get install chromium chromium-driver)").isExecutable();
    assertThat(CHROMEDRIVER).as("chromedriver (apt-get install chromium-driver)").isExecutable();
    profile = Files.createTempDirectory("switchboard-chromium");
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
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(60));
  }

  @AfterEach
  void closeBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    deleteRecursively(profile);
  }

  @Test
  void browsesTheModelsSearchesAndOpensAModelsEndpoints(RunningSwitchboard switchboard)
      throws IOException {
    browser.get(switchboard.uri("/").toString());

    waitForCells("models-grid", cells -> cells.contains("OpenAI: GPT-4o-mini"));
    assertThat(cells("models-grid"))
        .contains(
            "OpenAI: GPT-4o", "Meta: Llama 3.3 70B Instruct", "$0.15 / M", "Simulated OpenAI");
    assertThat(browser.findElement(By.tagName("vaadin-side-nav-item")).getText())
        .contains("Models");
    screenshot("models.png");

    browser.findElement(By.cssSelector("#model-search input")).sendKeys("llama 3.3");
    waitForCells(
        "models-grid",
        cells ->
            cells.contains("Meta: Llama 3.3 70B Instruct")
                && !cells.contains("OpenAI: GPT-4o-mini"));

    cell("models-grid", "Meta: Llama 3.3 70B Instruct").click();

    wait.until(ExpectedConditions.urlContains("/models/meta-llama/llama-3.3-70b-instruct"));
    waitForCells("endpoints-grid", cells -> cells.contains("Simulated Together"));
    assertThat(browser.findElement(By.id("model-name")).getText())
        .isEqualTo("Meta: Llama 3.3 70B Instruct");
    assertThat(cells("endpoints-grid"))
        .contains(
            "available", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "$0.88 / M", "8,192", "fp8")
        .anyMatch(cell -> cell.startsWith("Supported parameters: tools, tool_choice"));
    screenshot("model.png");
  }

  @Test
  void theApiStillAnswersBesideTheDashboardAtTheRoot(RunningSwitchboard switchboard) {
    // Vaadin's servlet takes /*; the API's longer mappings must keep winning.
    HttpResponse<String> models = switchboard.get("/api/v1/models", null);
    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(models.body()).contains("openai/gpt-4o-mini");
    assertThat(switchboard.get("/api/v1/no-such-thing", null).body()).contains("\"error\"");
  }

  /**
   * Text of the grid's cells (headers included): Vaadin renders them as light-DOM cell contents.
   */
  private List<String> cells(String gridId) {
    return browser.findElements(By.cssSelector("#" + gridId + " vaadin-grid-cell-content")).stream()
        .map(WebElement::getText)
        .map(String::strip)
        .toList();
  }

  private void waitForCells(String gridId, Predicate<List<String>> condition) {
    wait.until((WebDriver driver) -> condition.test(cells(gridId)));
  }

  private WebElement cell(String gridId, String text) {
    return browser.findElements(By.cssSelector("#" + gridId + " vaadin-grid-cell-content")).stream()
        .filter(cell -> cell.getText().strip().equals(text))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cell '" + text + "' in " + cells(gridId)));
  }

  private void screenshot(String name) throws IOException {
    // let the grids finish loading and sizing their columns, so the picture shows the settled page
    wait.until(
        (WebDriver driver) ->
            Boolean.TRUE.equals(
                browser.executeScript(
                    "return [...document.querySelectorAll('vaadin-grid')]"
                        + ".every(g => !g.hasAttribute('loading') && !g._debouncerUpdateColumnWidths"
                        + "?.isActive())")));
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
