package dev.switchboard.api.provider.anthropic;

import static dev.switchboard.api.provider.anthropic.AnthropicFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.provider.ProviderCall;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.catalog.DataPolicy;
import dev.switchboard.domain.catalog.ProviderApi;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

class AnthropicWireTest {

  private static ProviderCall call(String baseUrl, boolean stream) {
    CatalogProvider provider =
        new CatalogProvider(
            "acme",
            "Acme",
            ProviderApi.ANTHROPIC,
            URI.create(baseUrl),
            "ACME_KEY",
            DataPolicy.PRIVATE);
    return new ProviderCall(
        provider,
        "sk-ant-test",
        "claude-sonnet-4-20250514",
        json(
            "{\"model\":\"acme/claude\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"),
        stream);
  }

  @Test
  void postsToTheMessagesEndpointWithAnthropicHeadersAndNoTimeout() {
    HttpRequest request =
        new AnthropicWire().toHttpRequest(call("http://127.0.0.1:18080/acme/v1", false));

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri()).isEqualTo(URI.create("http://127.0.0.1:18080/acme/v1/messages"));
    assertThat(request.headers().firstValue("x-api-key")).contains("sk-ant-test");
    assertThat(request.headers().firstValue("anthropic-version")).contains("2023-06-01");
    assertThat(request.headers().firstValue("content-type")).contains("application/json");
    assertThat(request.timeout()).isEmpty();
    assertThat(request.bodyPublisher().orElseThrow().contentLength()).isPositive();
  }

  @Test
  void toleratesABaseUrlWithATrailingSlash() {
    HttpRequest request =
        new AnthropicWire().toHttpRequest(call("https://api.anthropic.com/v1/", true));

    assertThat(request.uri()).isEqualTo(URI.create("https://api.anthropic.com/v1/messages"));
    assertThat(request.headers().firstValue("accept")).contains("text/event-stream");
  }
}
