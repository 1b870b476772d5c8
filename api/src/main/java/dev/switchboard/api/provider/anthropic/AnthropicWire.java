package dev.switchboard.api.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderCall;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import dev.switchboard.api.provider.ProviderUrls;
import dev.switchboard.api.provider.StreamDecoder;
import dev.switchboard.api.provider.WireFormat;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;

/** The Anthropic Messages API ({@code POST {base}/messages}, API version 2023-06-01). */
public final class AnthropicWire implements WireFormat {

  static final String API_VERSION = "2023-06-01";

  private final AnthropicRequestMapper requests = new AnthropicRequestMapper();
  private final AnthropicResponseMapper responses = new AnthropicResponseMapper();
  private final AnthropicErrorMapper errors = new AnthropicErrorMapper();

  @Override
  public HttpRequest toHttpRequest(ProviderCall call) {
    ObjectNode body =
        requests.toMessagesBody(call.chatRequest(), call.upstreamModel(), call.stream());
    // No timeout here: the client owns time-to-first-byte and stall limits.
    return HttpRequest.newBuilder(ProviderUrls.resolve(call.provider().baseUrl(), "messages"))
        .header("x-api-key", call.apiKey())
        .header("anthropic-version", API_VERSION)
        .header("content-type", "application/json")
        .header("accept", call.stream() ? "text/event-stream" : "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)))
        .build();
  }

  @Override
  public ObjectNode fromResponse(ProviderCall call, byte[] body) throws ProviderException {
    return responses.toChatCompletion(body, includesReasoning(call));
  }

  @Override
  public StreamDecoder streamDecoder(ProviderCall call) {
    return new AnthropicStreamDecoder(errors, includesReasoning(call));
  }

  @Override
  public ProviderError fromError(int status, HttpHeaders headers, byte[] body) {
    return errors.fromHttp(status, headers, body);
  }

  /**
   * {@code reasoning.exclude}: the model still thinks (and bills for it), the caller does not see
   * it.
   */
  private static boolean includesReasoning(ProviderCall call) {
    return !call.chatRequest().path("reasoning").path("exclude").asBoolean(false);
  }
}
