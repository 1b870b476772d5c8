package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser against the built jar: the models list at {@code /} with the demo
 * catalog, the search filter, and a model's page. Needs Debian's {@code chromium} and {@code
 * chromium-driver}, which {@code scripts/test} installs.
 */
@ExtendWith(SwitchboardExtension.class)
class DashboardBrowserIT {

  private HeadlessChromium chromium;
  private ChromeDriver browser;
  private WebDriverWait wait;

  @BeforeEach
  void openBrowser() {
    chromium = new HeadlessChromium();
    browser = chromium.driver;
    wait = chromium.wait;
  }

  @AfterEach
  void closeBrowser() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void browsesTheModelsSearchesAndOpensAModelsEndpoints(RunningSwitchboard switchboard) {
    browser.get(switchboard.uri("/").toString());

    chromium.waitForCells("models-grid", cells -> cells.contains("OpenAI: GPT-4o-mini"));
    assertThat(chromium.cells("models-grid"))
        .contains(
            "OpenAI: GPT-4o", "Meta: Llama 3.3 70B Instruct", "$0.15 / M", "Simulated OpenAI");
    assertThat(browser.findElement(By.tagName("vaadin-side-nav-item")).getText())
        .contains("Models");
    chromium.screenshot("models.png");

    browser.findElement(By.cssSelector("#model-search input")).sendKeys("llama 3.3");
    chromium.waitForCells(
        "models-grid",
        cells ->
            cells.contains("Meta: Llama 3.3 70B Instruct")
                && !cells.contains("OpenAI: GPT-4o-mini"));

    chromium.cell("models-grid", "Meta: Llama 3.3 70B Instruct").click();

    wait.until(ExpectedConditions.urlContains("/models/meta-llama/llama-3.3-70b-instruct"));
    chromium.waitForCells("endpoints-grid", cells -> cells.contains("Simulated Together"));
    assertThat(browser.findElement(By.id("model-name")).getText())
        .isEqualTo("Meta: Llama 3.3 70B Instruct");
    assertThat(chromium.cells("endpoints-grid"))
        .contains(
            "available", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "$0.88 / M", "8,192", "fp8")
        .anyMatch(cell -> cell.startsWith("Supported parameters: tools, tool_choice"));
    chromium.screenshot("model.png");
  }

  @Test
  void theApiStillAnswersBesideTheDashboardAtTheRoot(RunningSwitchboard switchboard) {
    // Vaadin's servlet takes /*; the API's longer mappings must keep winning.
    HttpResponse<String> models = switchboard.get("/api/v1/models", null);
    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(models.body()).contains("openai/gpt-4o-mini");
    assertThat(switchboard.get("/api/v1/no-such-thing", null).body()).contains("\"error\"");
  }
}
