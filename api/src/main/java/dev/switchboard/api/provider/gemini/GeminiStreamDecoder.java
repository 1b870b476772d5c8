package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderException;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamDecoder;
import dev.switchboard.api.provider.StreamEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes {@code streamGenerateContent?alt=sse}: each {@code data:} event is a whole {@code
 * GenerateContentResponse} holding the next piece. Gemini has no end event, so the chunk carrying a
 * {@code finishReason} ends the stream ({@link StreamEvent.Done}, after that chunk's usage).
 */
public final class GeminiStreamDecoder implements StreamDecoder {

  private final String upstreamModel;
  private final GeminiErrorMapper errors;
  private boolean roleSent;
  private int toolCallCount;

  public GeminiStreamDecoder(String upstreamModel, GeminiErrorMapper errors) {
    this.upstreamModel = upstreamModel;
    this.errors = errors;
  }

  @Override
  public List<StreamEvent> decode(SseEvent event) throws ProviderException {
    String data = event.data() == null ? "" : event.data().strip();
    if (data.isEmpty()) {
      return List.of();
    }
    JsonNode response = GeminiBodyReader.readObject(data);
    if (response.path("error").isObject()) {
      return List.of(new StreamEvent.Failure(errors.fromStreamError(response.get("error"))));
    }
    GeminiReply reply = GeminiReply.of(response);
    List<StreamEvent> events = new ArrayList<>(3);
    ObjectNode delta = delta(reply);
    String nativeReason = reply.promptBlocked() ? reply.blockReason() : reply.finishReason();
    if (!delta.isEmpty() || nativeReason != null) {
      events.add(new StreamEvent.Chunk(chunk(delta, reply, nativeReason)));
    }
    ObjectNode usage = GeminiUsageMapper.toUsage(reply.usageMetadata());
    if (usage != null) {
      events.add(new StreamEvent.Usage(usage));
    }
    if (nativeReason != null) {
      events.add(new StreamEvent.Done());
    }
    return events;
  }

  private ObjectNode delta(GeminiReply reply) {
    ObjectNode delta = Json.MAPPER.createObjectNode();
    if (reply.reasoning() != null && !reply.reasoning().isEmpty()) {
      delta.put("reasoning", reply.reasoning());
    }
    if (reply.text() != null && !reply.text().isEmpty()) {
      delta.put("content", reply.text());
    } else if (reply.promptBlocked()) {
      delta.put("content", "");
    }
    if (!reply.functionCalls().isEmpty()) {
      ArrayNode toolCalls = delta.putArray("tool_calls");
      for (GeminiReply.FunctionCall call : reply.functionCalls()) {
        toolCalls.add(GeminiToolCalls.toolCallDelta(toolCallCount++, call));
      }
    }
    if ((!delta.isEmpty() || reply.finishReason() != null || reply.promptBlocked()) && !roleSent) {
      roleSent = true;
      ObjectNode withRole = Json.MAPPER.createObjectNode().put("role", "assistant");
      withRole.setAll(delta);
      return withRole;
    }
    return delta;
  }

  private ObjectNode chunk(ObjectNode delta, GeminiReply reply, String nativeReason) {
    ObjectNode chunk = Json.MAPPER.createObjectNode();
    // Placeholders: the gateway sets the stream's own id, model and created.
    chunk.put("id", "gen-gemini");
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", 0);
    chunk.put("model", upstreamModel);
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    if (nativeReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put(
          "finish_reason",
          reply.promptBlocked()
              ? "content_filter"
              : GeminiFinishReason.normalize(nativeReason, toolCallCount > 0));
      choice.put("native_finish_reason", nativeReason);
    }
    return chunk;
  }
}
