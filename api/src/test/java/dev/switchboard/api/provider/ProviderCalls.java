package dev.switchboard.api.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.openai.OpenAiFixtures;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.catalog.DataPolicy;
import dev.switchboard.domain.catalog.ProviderApi;
import java.net.URI;

/** Calls to an OpenAI-format provider {@code acme} at a given base URL, for the client's tests. */
final class ProviderCalls {

  private ProviderCalls() {}

  /** A short chat ({@code max_tokens} 64) to {@code upstreamModel} at {@code baseUrl}. */
  static ProviderCall openAi(String baseUrl, String apiKey, String upstreamModel, boolean stream) {
    CatalogProvider provider =
        new CatalogProvider(
            "acme",
            "Acme",
            ProviderApi.OPENAI,
            URI.create(baseUrl),
            "ACME_KEY",
            DataPolicy.PRIVATE);
    ObjectNode request =
        OpenAiFixtures.json(
            """
            {"model":"openai/gpt-4o-mini","max_tokens":64,
             "messages":[{"role":"user","content":"Say hello."}]}
            """);
    return new ProviderCall(provider, apiKey, upstreamModel, request, stream);
  }

  /** The same call, to a base URL an organization supplied. */
  static ProviderCall toOrganizationBaseUrl(ProviderCall call) {
    return new ProviderCall(
        call.provider(),
        call.apiKey(),
        call.upstreamModel(),
        call.chatRequest(),
        call.stream(),
        true);
  }
}
