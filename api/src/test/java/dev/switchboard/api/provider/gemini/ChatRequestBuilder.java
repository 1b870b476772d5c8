package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderCall;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.catalog.DataPolicy;
import dev.switchboard.domain.catalog.ProviderApi;
import java.net.URI;

/** Builds OpenAI-shape chat requests, and calls to a Gemini provider carrying them. */
final class ChatRequestBuilder {

  static final String MODEL = "gemini-2.5-flash";
  static final String API_KEY = "test-gemini-key";

  private final ObjectNode request = Json.MAPPER.createObjectNode();
  private final ArrayNode messages = request.putArray("messages");

  private ChatRequestBuilder() {
    request.put("max_tokens", 1024);
  }

  static ChatRequestBuilder chat() {
    return new ChatRequestBuilder();
  }

  ChatRequestBuilder system(String text) {
    return message("system", text);
  }

  ChatRequestBuilder developer(String text) {
    return message("developer", text);
  }

  ChatRequestBuilder user(String text) {
    return message("user", text);
  }

  ChatRequestBuilder assistant(String text) {
    return message("assistant", text);
  }

  /** A message given as raw JSON, for content parts and tool calls. */
  ChatRequestBuilder message(String json) {
    messages.add(Fixtures.json(json));
    return this;
  }

  ChatRequestBuilder assistantToolCall(String id, String name, String arguments) {
    ObjectNode message = messages.addObject().put("role", "assistant");
    message.putNull("content");
    ObjectNode call =
        message.putArray("tool_calls").addObject().put("id", id).put("type", "function");
    call.putObject("function").put("name", name).put("arguments", arguments);
    return this;
  }

  ChatRequestBuilder toolResult(String toolCallId, String content) {
    messages
        .addObject()
        .put("role", "tool")
        .put("tool_call_id", toolCallId)
        .put("content", content);
    return this;
  }

  /** Sets a top-level field to a JSON value, e.g. {@code with("temperature", "0.2")}. */
  ChatRequestBuilder with(String field, String json) {
    request.set(field, Fixtures.json(json));
    return this;
  }

  ChatRequestBuilder without(String field) {
    request.remove(field);
    return this;
  }

  ObjectNode build() {
    return request.deepCopy();
  }

  ProviderCall call(String baseUrl, boolean stream) {
    ObjectNode chatRequest = build();
    if (stream) {
      chatRequest.put("stream", true);
    }
    return new ProviderCall(provider(baseUrl), API_KEY, MODEL, chatRequest, stream);
  }

  static CatalogProvider provider(String baseUrl) {
    return new CatalogProvider(
        "acme",
        "Acme Gemini",
        ProviderApi.GEMINI,
        URI.create(baseUrl),
        "ACME_KEY",
        DataPolicy.PRIVATE);
  }

  private ChatRequestBuilder message(String role, String text) {
    messages.addObject().put("role", role).put("content", text);
    return this;
  }
}
