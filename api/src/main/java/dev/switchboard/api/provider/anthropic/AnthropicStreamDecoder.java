package dev.switchboard.api.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import dev.switchboard.api.provider.SseEvent;
import dev.switchboard.api.provider.StreamDecoder;
import dev.switchboard.api.provider.StreamEvent;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's named SSE events as OpenAI chunks. Content blocks are numbered across text, thinking
 * and tool use, while OpenAI numbers tool calls only, so tool blocks get their own counter.
 */
public final class AnthropicStreamDecoder implements StreamDecoder {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final AnthropicErrorMapper errors;
  private final boolean includeReasoning;
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private AnthropicUsage usage = AnthropicUsage.NONE;

  /**
   * @param includeReasoning false when the caller asked for {@code reasoning.exclude}
   */
  public AnthropicStreamDecoder(AnthropicErrorMapper errors, boolean includeReasoning) {
    this.errors = errors;
    this.includeReasoning = includeReasoning;
  }

  @Override
  public List<StreamEvent> decode(SseEvent event) throws ProviderException {
    if (event.data() == null || event.data().isBlank()) {
      return List.of();
    }
    JsonNode data = parse(event.data());
    String type = data.path("type").asText(event.event() == null ? "" : event.event());
    return switch (type) {
      case "message_start" -> messageStart(data.path("message"));
      case "content_block_start" ->
          blockStart(data.path("index").asInt(), data.path("content_block"));
      case "content_block_delta" -> blockDelta(data.path("index").asInt(), data.path("delta"));
      case "message_delta" -> messageDelta(data);
      case "message_stop" -> List.of(new StreamEvent.Done());
      case "error" -> List.of(new StreamEvent.Failure(errors.fromStreamError(data)));
      // ping, content_block_stop, and event types Anthropic may add later (its versioning policy)
      // carry
      // nothing for the client.
      default -> List.of();
    };
  }

  private List<StreamEvent> messageStart(JsonNode message) {
    ObjectNode delta = NODES.objectNode().put("role", "assistant");
    if (!message.path("usage").isObject()) {
      return List.of(chunk(delta));
    }
    usage = AnthropicUsage.from(message.path("usage"));
    return List.of(chunk(delta), new StreamEvent.Usage(usage.toOpenAi()));
  }

  private List<StreamEvent> blockStart(int blockIndex, JsonNode block) {
    switch (block.path("type").asText()) {
      case "text":
        return content("content", block.path("text").asText());
      case "thinking":
        return includeReasoning ? content("reasoning", block.path("thinking").asText()) : List.of();
      case "tool_use":
        int toolIndex = toolIndexByBlock.size();
        toolIndexByBlock.put(blockIndex, toolIndex);
        ObjectNode call = NODES.objectNode().put("index", toolIndex);
        call.put("id", block.path("id").asText());
        call.put("type", "function");
        call.putObject("function").put("name", block.path("name").asText()).put("arguments", "");
        ObjectNode delta = NODES.objectNode();
        delta.putArray("tool_calls").add(call);
        return List.of(chunk(delta));
      default:
        return List.of();
    }
  }

  private List<StreamEvent> blockDelta(int blockIndex, JsonNode delta) {
    switch (delta.path("type").asText()) {
      case "text_delta":
        return content("content", delta.path("text").asText());
      case "thinking_delta":
        return includeReasoning ? content("reasoning", delta.path("thinking").asText()) : List.of();
      case "input_json_delta":
        Integer toolIndex = toolIndexByBlock.get(blockIndex);
        String fragment = delta.path("partial_json").asText();
        if (toolIndex == null || fragment.isEmpty()) {
          return List.of();
        }
        ObjectNode call = NODES.objectNode().put("index", toolIndex);
        call.putObject("function").put("arguments", fragment);
        ObjectNode toolDelta = NODES.objectNode();
        toolDelta.putArray("tool_calls").add(call);
        return List.of(chunk(toolDelta));
      default:
        // signature_delta and citations_delta have no OpenAI counterpart.
        return List.of();
    }
  }

  private List<StreamEvent> messageDelta(JsonNode data) {
    usage = usage.updatedBy(data.path("usage"));
    StreamEvent usageEvent = new StreamEvent.Usage(usage.toOpenAi());
    String stopReason = data.path("delta").path("stop_reason").asText("");
    if (stopReason.isEmpty()) {
      return List.of(usageEvent);
    }
    ObjectNode finish = chunk(NODES.objectNode()).chunk();
    ObjectNode choice = (ObjectNode) finish.path("choices").get(0);
    choice.put("finish_reason", StopReason.toFinishReason(stopReason));
    choice.put("native_finish_reason", stopReason);
    return List.of(new StreamEvent.Chunk(finish), usageEvent);
  }

  private static List<StreamEvent> content(String field, String text) {
    return text.isEmpty() ? List.of() : List.of(chunk(NODES.objectNode().put(field, text)));
  }

  /** A chunk with placeholder id, model and created: the gateway stamps its own. */
  private static StreamEvent.Chunk chunk(ObjectNode delta) {
    ObjectNode chunk = NODES.objectNode();
    chunk.put("id", "");
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", 0);
    chunk.put("model", "");
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("finish_reason");
    return new StreamEvent.Chunk(chunk);
  }

  private static JsonNode parse(String data) throws ProviderException {
    try {
      JsonNode node = Json.MAPPER.readTree(data);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (IOException e) {
      // reported below with the event's text
    }
    String excerpt = data.length() > 200 ? data.substring(0, 200) + "…" : data;
    throw new ProviderException(
        ProviderError.of(
            ProviderError.Kind.MALFORMED_RESPONSE,
            200,
            "Anthropic stream event is not JSON: " + excerpt));
  }
}
