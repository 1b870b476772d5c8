package dev.switchboard.api.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.ProviderCall;

/** Switchboard's chat request → an OpenAI-compatible provider's request body. */
public final class OpenAiRequestMapper {

  private OpenAiRequestMapper() {}

  public static ObjectNode toRequest(ProviderCall call) {
    ObjectNode body = call.chatRequest().deepCopy();
    body.put("model", call.upstreamModel());
    // OpenRouter's reasoning object; OpenAI-compatible APIs take reasoning_effort
    JsonNode reasoning = body.remove("reasoning");
    if (reasoning != null && reasoning.hasNonNull("effort") && !body.has("reasoning_effort")) {
      body.put("reasoning_effort", reasoning.get("effort").asText());
    }
    if (call.stream()) {
      body.put("stream", true);
      // without it OpenAI-compatible providers send no usage in streams, and nothing could be
      // billed
      body.putObject("stream_options").put("include_usage", true);
    } else {
      body.remove("stream");
      body.remove("stream_options");
    }
    return body;
  }
}
