package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Anthropic Messages: {@code POST /v1/messages}, {@code x-api-key} + {@code anthropic-version},
 * named SSE events (message_start, content_block_*, ping, message_delta, message_stop). Thinking is
 * always shown as thinking blocks, and {@code output_tokens} counts thinking + text (or tool
 * input), as Anthropic bills it.
 */
final class AnthropicFormat implements WireFormat {
  static final AnthropicFormat INSTANCE = new AnthropicFormat();

  /** Opaque like the real signature; clients must echo it back, never interpret it. */
  private static final String SIGNATURE = "c2ltdWxhdGVkLXRoaW5raW5nLXNpZ25hdHVyZQ==";

  private AnthropicFormat() {}

  @Override
  public ErrorReply checkHeaders(Map<String, String> headers, String rawQuery) {
    String key = headers.get("x-api-key");
    if (key == null || key.isBlank()) {
      return new ErrorReply(401, "x-api-key header is required");
    }
    String version = headers.get("anthropic-version");
    if (version == null || version.isBlank()) {
      return new ErrorReply(400, "anthropic-version: header is required");
    }
    return null;
  }

  @Override
  public boolean cachesOnlyMarkedPrompts() {
    return true;
  }

  @Override
  public ChatRequest parse(JsonNode body, Route route) throws InvalidRequestException {
    String model = RequestFields.requiredText(body, "model");
    if (body.get("max_tokens") == null) {
      throw new InvalidRequestException("max_tokens: Field required");
    }
    int maxTokens = RequestFields.optionalPositiveInt(body, "max_tokens");
    JsonNode messages = RequestFields.requiredArray(body, "messages");

    PromptTokenCounter prompt = new PromptTokenCounter();
    JsonNode system = body.path("system");
    if (!system.isMissingNode() && !system.isNull()) {
      prompt.message();
      countContent(system, prompt);
    }
    for (JsonNode message : messages) {
      if (!message.isObject() || !message.path("role").isTextual()) {
        throw new InvalidRequestException("messages: each message must be an object with a 'role'");
      }
      prompt.message();
      countContent(message.path("content"), prompt);
    }
    JsonNode tools = body.path("tools");
    prompt.json(tools);

    JsonNode last = messages.get(messages.size() - 1);
    boolean afterToolResult = false;
    for (JsonNode block : last.path("content")) {
      afterToolResult |= "tool_result".equals(block.path("type").asText());
    }
    ChatRequest.Conversation conversation =
        ChatRequest.Conversation.of(messages, "assistant", ChatRequest.Conversation::textOf);
    return new ChatRequest(
        model,
        model + '\u0000' + system + '\u0000' + conversation.messages(),
        prompt.total(),
        maxTokens,
        RequestFields.stringOrArray(body.get("stop_sequences")),
        thinkingTokens(body.path("thinking")),
        true,
        afterToolResult ? null : chooseTool(tools, body.path("tool_choice")),
        RequestFields.optionalBoolean(body, "stream"),
        true,
        new ChatRequest.Prefix(
            model,
            system,
            messages,
            prompt.beforeLastMessage(),
            body.findValue("cache_control") != null),
        conversation.prefill());
  }

  private static void countContent(JsonNode content, PromptTokenCounter prompt)
      throws InvalidRequestException {
    if (content.isTextual()) {
      prompt.text(content.asText());
      return;
    }
    if (!content.isArray()) {
      throw new InvalidRequestException("content must be a string or an array of content blocks");
    }
    for (JsonNode block : content) {
      switch (block.path("type").asText()) {
        case "text":
          prompt.text(block.path("text").asText());
          break;
        case "image":
        case "document":
          JsonNode source = block.path("source");
          String kind = source.path("type").asText();
          boolean valid =
              "base64".equals(kind)
                  ? source.path("data").isTextual()
                  : "url".equals(kind) ? source.path("url").isTextual() : source.isObject();
          if (!valid) {
            throw new InvalidRequestException("image/document blocks need a base64 or url source");
          }
          prompt.image();
          break;
        case "tool_use":
          prompt.text(block.path("name").asText());
          prompt.json(block.path("input"));
          break;
        case "tool_result":
          countContent(
              block.path("content").isMissingNode() ? JsonCodec.array() : block.path("content"),
              prompt);
          break;
        case "thinking":
          prompt.text(block.path("thinking").asText());
          break;
        default:
          break;
      }
    }
  }

  private static int thinkingTokens(JsonNode thinking) {
    String type = thinking.path("type").asText();
    if ("enabled".equals(type)) {
      int budget = thinking.path("budget_tokens").asInt(Integer.MAX_VALUE);
      return Math.min(ReasoningEffort.DEFAULT_TOKENS, Math.max(budget, 0));
    }
    return "adaptive".equals(type) ? ReasoningEffort.DEFAULT_TOKENS : 0;
  }

  private static ToolDefinition chooseTool(JsonNode tools, JsonNode toolChoice)
      throws InvalidRequestException {
    if (!tools.isArray() || tools.isEmpty() || "none".equals(toolChoice.path("type").asText())) {
      return null;
    }
    String wanted =
        "tool".equals(toolChoice.path("type").asText())
            ? toolChoice.path("name").textValue()
            : null;
    for (JsonNode tool : tools) {
      String name = tool.path("name").asText();
      if (wanted == null || wanted.equals(name)) {
        if (name.isEmpty()) {
          throw new InvalidRequestException("tools[].name: Field required");
        }
        return new ToolDefinition(name, tool.path("input_schema"));
      }
    }
    throw new InvalidRequestException(
        "tool_choice names tool '" + wanted + "' which is not in tools");
  }

  @Override
  public byte[] completionBody(ChatRequest request, CompletionPlan plan, boolean usage) {
    ObjectNode root = messageShell(ResponseIds.random("msg_01", 22), request.model());
    ArrayNode content = (ArrayNode) root.get("content");
    if (plan.reasoningTokens() > 0) {
      content
          .addObject()
          .put("type", "thinking")
          .put("thinking", plan.reasoningText())
          .put("signature", SIGNATURE);
    }
    if (plan.toolCall() != null) {
      ObjectNode toolUse = content.addObject();
      toolUse.put("type", "tool_use");
      toolUse.put("id", ResponseIds.random("toolu_01", 22));
      toolUse.put("name", plan.toolCall().name());
      toolUse.set("input", plan.toolCall().arguments());
    } else {
      content.addObject().put("type", "text").put("text", plan.text());
    }
    root.put("stop_reason", stopReason(plan));
    putStopSequence(root, plan);
    if (usage) {
      root.set("usage", usage(plan, plan.completionTokens()));
    } else {
      root.remove("usage");
    }
    return JsonCodec.bytes(root);
  }

  @Override
  public List<SseEvent> streamEvents(ChatRequest request, CompletionPlan plan, boolean usage) {
    List<SseEvent> events =
        new ArrayList<>(plan.textPieces().size() + plan.reasoningPieces().size() + 12);
    ObjectNode start = JsonCodec.object();
    start.put("type", "message_start");
    ObjectNode message = messageShell(ResponseIds.random("msg_01", 22), request.model());
    if (usage) {
      // The real API reports output_tokens 1 here and the cumulative total in message_delta.
      message.set("usage", usage(plan, 1));
    } else {
      message.remove("usage");
    }
    start.set("message", message);
    events.add(SseEvent.frame("message_start", start.toString()));

    int index = 0;
    if (plan.reasoningTokens() > 0) {
      blockStart(events, index, JsonCodec.object().put("type", "thinking").put("thinking", ""));
      for (String piece : plan.reasoningPieces()) {
        events.add(
            blockDelta(
                index, JsonCodec.object().put("type", "thinking_delta").put("thinking", piece)));
      }
      ObjectNode signature =
          JsonCodec.object().put("type", "signature_delta").put("signature", SIGNATURE);
      events.add(SseEvent.frame("content_block_delta", deltaEnvelope(index, signature).toString()));
      blockStop(events, index++);
    }
    if (plan.toolCall() != null) {
      ObjectNode block = JsonCodec.object();
      block.put("type", "tool_use");
      block.put("id", ResponseIds.random("toolu_01", 22));
      block.put("name", plan.toolCall().name());
      block.putObject("input");
      blockStart(events, index, block);
      for (String fragment : plan.toolCall().argumentFragments()) {
        events.add(
            blockDelta(
                index,
                JsonCodec.object().put("type", "input_json_delta").put("partial_json", fragment)));
      }
    } else {
      blockStart(events, index, JsonCodec.object().put("type", "text").put("text", ""));
      for (String piece : plan.textPieces()) {
        events.add(
            blockDelta(index, JsonCodec.object().put("type", "text_delta").put("text", piece)));
      }
    }
    blockStop(events, index);

    ObjectNode messageDelta = JsonCodec.object();
    messageDelta.put("type", "message_delta");
    ObjectNode delta = messageDelta.putObject("delta");
    delta.put("stop_reason", stopReason(plan));
    putStopSequence(delta, plan);
    if (usage) {
      messageDelta.putObject("usage").put("output_tokens", plan.completionTokens());
    }
    events.add(SseEvent.tail("message_delta", messageDelta.toString()));
    events.add(SseEvent.tail("message_stop", "{\"type\":\"message_stop\"}"));
    return events;
  }

  private static ObjectNode messageShell(String id, String model) {
    ObjectNode root = JsonCodec.object();
    root.put("id", id);
    root.put("type", "message");
    root.put("role", "assistant");
    root.put("model", model);
    root.putArray("content");
    root.putNull("stop_reason");
    root.putNull("stop_sequence");
    root.putObject("usage");
    return root;
  }

  private static void blockStart(List<SseEvent> events, int index, ObjectNode block) {
    ObjectNode start = JsonCodec.object();
    start.put("type", "content_block_start");
    start.put("index", index);
    start.set("content_block", block);
    events.add(SseEvent.frame("content_block_start", start.toString()));
    if (index == 0) {
      events.add(SseEvent.frame("ping", "{\"type\":\"ping\"}"));
    }
  }

  private static SseEvent blockDelta(int index, ObjectNode delta) {
    return SseEvent.content("content_block_delta", deltaEnvelope(index, delta).toString());
  }

  private static ObjectNode deltaEnvelope(int index, ObjectNode delta) {
    ObjectNode envelope = JsonCodec.object();
    envelope.put("type", "content_block_delta");
    envelope.put("index", index);
    envelope.set("delta", delta);
    return envelope;
  }

  private static void blockStop(List<SseEvent> events, int index) {
    events.add(
        SseEvent.frame(
            "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}"));
  }

  /** Anthropic's input_tokens leave out what was read from or written to the cache. */
  private static ObjectNode usage(CompletionPlan plan, int outputTokens) {
    ObjectNode usage = JsonCodec.object();
    usage.put(
        "input_tokens", plan.promptTokens() - plan.cacheReadTokens() - plan.cacheWriteTokens());
    usage.put("cache_creation_input_tokens", plan.cacheWriteTokens());
    usage.put("cache_read_input_tokens", plan.cacheReadTokens());
    usage.put("output_tokens", outputTokens);
    return usage;
  }

  private static String stopReason(CompletionPlan plan) {
    switch (plan.finish()) {
      case LENGTH:
        return "max_tokens";
      case STOP_SEQUENCE:
        return "stop_sequence";
      case TOOL_CALL:
        return "tool_use";
      default:
        return "end_turn";
    }
  }

  private static void putStopSequence(ObjectNode node, CompletionPlan plan) {
    if (plan.matchedStopSequence() == null) {
      node.putNull("stop_sequence");
    } else {
      node.put("stop_sequence", plan.matchedStopSequence());
    }
  }

  @Override
  public SseEvent inBandError() {
    return SseEvent.tail("error", errorJson("overloaded_error", "Overloaded").toString());
  }

  @Override
  public boolean isEndMarker(SseEvent event) {
    return "message_stop".equals(event.event());
  }

  @Override
  public SseEvent malformedEvent() {
    return SseEvent.tail(
        "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":");
  }

  @Override
  public byte[] errorBody(int status, String message) {
    String type;
    switch (status) {
      case 400:
        type = "invalid_request_error";
        break;
      case 401:
        type = "authentication_error";
        break;
      case 403:
        type = "permission_error";
        break;
      case 404:
        type = "not_found_error";
        break;
      case 413:
        type = "request_too_large";
        break;
      case 429:
        type = "rate_limit_error";
        break;
      case 529:
        type = "overloaded_error";
        break;
      default:
        type = status >= 500 ? "api_error" : "invalid_request_error";
    }
    ObjectNode root = errorJson(type, message);
    root.put("request_id", ResponseIds.random("req_01", 22));
    return JsonCodec.bytes(root);
  }

  private static ObjectNode errorJson(String type, String message) {
    ObjectNode root = JsonCodec.object();
    root.put("type", "error");
    root.putObject("error").put("type", type).put("message", message);
    return root;
  }

  @Override
  public byte[] modelsBody() {
    ObjectNode root = JsonCodec.object();
    ArrayNode data = root.putArray("data");
    String[][] models = {
      {"sim-claude-haiku", "Simulated Claude Haiku"},
      {"sim-claude-sonnet", "Simulated Claude Sonnet"}
    };
    for (String[] model : models) {
      data.addObject()
          .put("type", "model")
          .put("id", model[0])
          .put("display_name", model[1])
          .put("created_at", "2025-01-01T00:00:00Z");
    }
    root.put("has_more", false);
    root.put("first_id", models[0][0]);
    root.put("last_id", models[models.length - 1][0]);
    return JsonCodec.bytes(root);
  }

  @Override
  public Map<String, String> responseHeaders() {
    return Map.of("request-id", ResponseIds.random("req_01", 22));
  }
}
