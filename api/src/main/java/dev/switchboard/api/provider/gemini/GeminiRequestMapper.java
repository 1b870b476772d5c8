package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderCall;
import dev.switchboard.api.provider.ProviderUrls;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * An OpenAI chat request as a Gemini {@code generateContent} call. The HTTP request carries no
 * timeout: the provider client sets it.
 */
public final class GeminiRequestMapper {

  private final GeminiContentsMapper contents = new GeminiContentsMapper();
  private final GeminiToolsMapper tools = new GeminiToolsMapper();
  private final GeminiGenerationConfigMapper generationConfig = new GeminiGenerationConfigMapper();

  public HttpRequest toHttpRequest(ProviderCall call) {
    return HttpRequest.newBuilder(endpoint(call))
        .header("x-goog-api-key", call.apiKey())
        .header("Content-Type", "application/json")
        .header("Accept", call.stream() ? "text/event-stream" : "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(toBody(call.chatRequest()))))
        .build();
  }

  /** {@code {base}/models/{model}:generateContent}, or the SSE flavour of the streaming method. */
  public URI endpoint(ProviderCall call) {
    String model = call.upstreamModel();
    // Gemini's own model ids read "models/gemini-…"; the path already says "models/".
    if (model.startsWith("models/")) {
      model = model.substring("models/".length());
    }
    String method = call.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
    return ProviderUrls.resolve(call.provider().baseUrl(), "models/" + model + method);
  }

  /** The {@code GenerateContentRequest} body. */
  public ObjectNode toBody(ObjectNode chatRequest) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    GeminiContentsMapper.Conversation conversation = contents.map(chatRequest.path("messages"));
    body.set("contents", conversation.contents());
    if (conversation.systemInstruction() != null) {
      body.set("systemInstruction", conversation.systemInstruction());
    }
    JsonNode declaredTools = tools.tools(chatRequest.path("tools"));
    if (declaredTools != null) {
      body.set("tools", declaredTools);
    }
    JsonNode toolConfig = tools.toolConfig(chatRequest.path("tool_choice"));
    if (toolConfig != null) {
      body.set("toolConfig", toolConfig);
    }
    ObjectNode config = generationConfig.map(chatRequest);
    if (!config.isEmpty()) {
      body.set("generationConfig", config);
    }
    return body;
  }
}
