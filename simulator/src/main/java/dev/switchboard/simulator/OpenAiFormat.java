package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenAI Chat Completions: {@code POST /v1/chat/completions}, Bearer auth, {@code data:}-only SSE
 * ending in [DONE].
 */
final class OpenAiFormat implements WireFormat {
  static final OpenAiFormat INSTANCE = new OpenAiFormat();

  private static final String FINGERPRINT = "fp_sim00000001";

  private OpenAiFormat() {}

  @Override
  public ErrorReply checkHeaders(Map<String, String> headers, String rawQuery) {
    String auth = headers.get("authorization");
    if (auth == null
        || !auth.regionMatches(true, 0, "Bearer ", 0, 7)
        || auth.substring(7).isBlank()) {
      return new ErrorReply(
          401,
          "You didn't provide an API key. You need to provide your API key in an "
              + "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
    }
    return null;
  }

  @Override
  public ChatRequest parse(JsonNode body, Route route) throws InvalidRequestException {
    String model = RequestFields.requiredText(body, "model");
    JsonNode messages = RequestFields.requiredArray(body, "messages");
    PromptTokenCounter prompt = new PromptTokenCounter();
    for (JsonNode message : messages) {
      countMessage(message, prompt);
    }
    JsonNode tools = body.path("tools");
    prompt.json(tools);

    Integer cap = RequestFields.optionalPositiveInt(body, "max_completion_tokens");
    if (cap == null) {
      cap = RequestFields.optionalPositiveInt(body, "max_tokens");
    }
    boolean stream = RequestFields.optionalBoolean(body, "stream");
    boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
    String lastRole = messages.get(messages.size() - 1).path("role").asText();
    boolean afterToolResult = "tool".equals(lastRole) || "function".equals(lastRole);
    ChatRequest.Conversation conversation =
        ChatRequest.Conversation.of(messages, "assistant", ChatRequest.Conversation::textOf);
    return new ChatRequest(
        model,
        model + '\u0000' + conversation.messages(),
        prompt.total(),
        cap,
        RequestFields.stringOrArray(body.get("stop")),
        reasoningTokens(body),
        false,
        afterToolResult ? null : chooseTool(tools, body.path("tool_choice")),
        stream,
        includeUsage,
        new ChatRequest.Prefix(model, null, messages, prompt.beforeLastMessage(), false),
        conversation.prefill());
  }

  private static void countMessage(JsonNode message, PromptTokenCounter prompt)
      throws InvalidRequestException {
    if (!message.isObject() || !message.path("role").isTextual()) {
      throw new InvalidRequestException("each message must be an object with a 'role'");
    }
    prompt.message();
    JsonNode content = message.path("content");
    if (content.isTextual()) {
      prompt.text(content.asText());
    } else if (content.isArray()) {
      for (JsonNode part : content) {
        String type = part.path("type").asText();
        if ("text".equals(type)) {
          prompt.text(part.path("text").asText());
        } else if ("image_url".equals(type)) {
          if (!part.path("image_url").path("url").isTextual()) {
            throw new InvalidRequestException("image_url parts need an image_url.url");
          }
          prompt.image();
        } else if ("file".equals(type) || "input_audio".equals(type)) {
          prompt.image();
        }
      }
    }
    for (JsonNode call : message.path("tool_calls")) {
      prompt.text(call.path("function").path("name").asText());
      prompt.text(call.path("function").path("arguments").asText());
    }
  }

  private static int reasoningTokens(JsonNode body) {
    JsonNode effort = body.get("reasoning_effort");
    if (effort != null && effort.isTextual()) {
      return ReasoningEffort.tokensFor(effort.asText());
    }
    JsonNode reasoning = body.get("reasoning");
    if (reasoning != null && reasoning.isObject()) {
      return ReasoningEffort.tokensFor(reasoning.path("effort").textValue());
    }
    return 0;
  }

  private static ToolDefinition chooseTool(JsonNode tools, JsonNode toolChoice)
      throws InvalidRequestException {
    if (!tools.isArray() || tools.isEmpty() || "none".equals(toolChoice.asText())) {
      return null;
    }
    String wanted = toolChoice.path("function").path("name").textValue();
    for (JsonNode tool : tools) {
      JsonNode function = tool.path("function");
      String name = function.path("name").asText();
      if (wanted == null || wanted.equals(name)) {
        if (name.isEmpty()) {
          throw new InvalidRequestException("tools[].function.name is required");
        }
        return new ToolDefinition(name, function.path("parameters"));
      }
    }
    throw new InvalidRequestException(
        "tool_choice names function '" + wanted + "' which is not in tools");
  }

  @Override
  public byte[] completionBody(ChatRequest request, CompletionPlan plan, boolean usage) {
    ObjectNode root =
        header(ResponseIds.random("chatcmpl-", 29), request.model(), "chat.completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (plan.toolCall() != null) {
      message.putNull("content");
      message.putNull("refusal");
      ObjectNode call = message.putArray("tool_calls").addObject();
      call.put("id", ResponseIds.random("call_", 24));
      call.put("type", "function");
      call.putObject("function")
          .put("name", plan.toolCall().name())
          .put("arguments", plan.toolCall().argumentsJson());
    } else {
      message.put("content", plan.text());
      message.putNull("refusal");
    }
    message.putArray("annotations");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(plan));
    if (usage) {
      root.set("usage", usage(plan));
    }
    root.put("service_tier", "default");
    return JsonCodec.bytes(root);
  }

  @Override
  public List<SseEvent> streamEvents(ChatRequest request, CompletionPlan plan, boolean usage) {
    String id = ResponseIds.random("chatcmpl-", 29);
    // With include_usage every chunk carries "usage": null and a final choices-less chunk carries
    // the numbers.
    boolean usageChunk = usage && request.streamUsage();
    List<SseEvent> events = new ArrayList<>(plan.textPieces().size() + 6);

    ObjectNode first = chunk(id, request.model(), usageChunk);
    ObjectNode firstDelta = delta(first);
    firstDelta.put("role", "assistant");
    if (plan.toolCall() != null) {
      firstDelta.putNull("content");
      ObjectNode call = firstDelta.putArray("tool_calls").addObject();
      call.put("index", 0);
      call.put("id", ResponseIds.random("call_", 24));
      call.put("type", "function");
      call.putObject("function").put("name", plan.toolCall().name()).put("arguments", "");
    } else {
      firstDelta.put("content", "");
    }
    firstDelta.putNull("refusal");
    events.add(SseEvent.frame(null, first.toString()));

    if (plan.toolCall() != null) {
      for (String fragment : plan.toolCall().argumentFragments()) {
        ObjectNode c = chunk(id, request.model(), usageChunk);
        delta(c)
            .putArray("tool_calls")
            .addObject()
            .put("index", 0)
            .putObject("function")
            .put("arguments", fragment);
        events.add(SseEvent.content(null, c.toString()));
      }
    } else {
      for (String piece : plan.textPieces()) {
        ObjectNode c = chunk(id, request.model(), usageChunk);
        delta(c).put("content", piece);
        events.add(SseEvent.content(null, c.toString()));
      }
    }

    ObjectNode last = chunk(id, request.model(), usageChunk);
    delta(last);
    ((ObjectNode) last.path("choices").get(0)).put("finish_reason", finishReason(plan));
    events.add(SseEvent.tail(null, last.toString()));

    if (usageChunk) {
      ObjectNode usageOnly = header(id, request.model(), "chat.completion.chunk");
      usageOnly.putArray("choices");
      usageOnly.set("usage", usage(plan));
      events.add(SseEvent.tail(null, usageOnly.toString()));
    }
    events.add(SseEvent.tail(null, "[DONE]"));
    return events;
  }

  private static ObjectNode header(String id, String model, String object) {
    ObjectNode root = JsonCodec.object();
    root.put("id", id);
    root.put("object", object);
    root.put("created", System.currentTimeMillis() / 1000);
    root.put("model", model);
    root.put("system_fingerprint", FINGERPRINT);
    return root;
  }

  private static ObjectNode chunk(String id, String model, boolean usageNull) {
    ObjectNode root = header(id, model, "chat.completion.chunk");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("delta");
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    if (usageNull) {
      root.putNull("usage");
    }
    return root;
  }

  private static ObjectNode delta(ObjectNode chunk) {
    return (ObjectNode) chunk.path("choices").get(0).get("delta");
  }

  private static ObjectNode usage(CompletionPlan plan) {
    ObjectNode usage = JsonCodec.object();
    usage.put("prompt_tokens", plan.promptTokens());
    usage.put("completion_tokens", plan.completionTokens());
    usage.put("total_tokens", plan.promptTokens() + plan.completionTokens());
    usage
        .putObject("prompt_tokens_details")
        .put("cached_tokens", plan.cacheReadTokens())
        .put("audio_tokens", 0);
    usage
        .putObject("completion_tokens_details")
        .put("reasoning_tokens", plan.reasoningTokens())
        .put("audio_tokens", 0)
        .put("accepted_prediction_tokens", 0)
        .put("rejected_prediction_tokens", 0);
    return usage;
  }

  private static String finishReason(CompletionPlan plan) {
    switch (plan.finish()) {
      case LENGTH:
        return "length";
      case TOOL_CALL:
        return "tool_calls";
      default:
        return "stop";
    }
  }

  @Override
  public SseEvent inBandError() {
    return SseEvent.tail(
        null,
        errorJson(
                "server_error",
                null,
                "The server had an error while processing your request. Sorry about that!")
            .toString());
  }

  @Override
  public boolean isEndMarker(SseEvent event) {
    return "[DONE]".equals(event.data());
  }

  @Override
  public SseEvent malformedEvent() {
    return SseEvent.tail(
        null, "{\"id\":\"chatcmpl-malformed\",\"choices\":[{\"delta\":{\"content\":");
  }

  @Override
  public byte[] errorBody(int status, String message) {
    String type;
    String code = null;
    switch (status) {
      case 400:
      case 401:
      case 403:
      case 404:
      case 409:
      case 413:
      case 422:
        type = "invalid_request_error";
        break;
      case 429:
        type = "requests";
        code = "rate_limit_exceeded";
        break;
      default:
        type = status >= 500 ? "server_error" : "invalid_request_error";
    }
    return JsonCodec.bytes(errorJson(type, code, message));
  }

  private static ObjectNode errorJson(String type, String code, String message) {
    ObjectNode root = JsonCodec.object();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.putNull("param");
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return root;
  }

  @Override
  public byte[] modelsBody() {
    ObjectNode root = JsonCodec.object();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (String id : new String[] {"sim-gpt-small", "sim-gpt-large", "sim-reasoner"}) {
      data.addObject()
          .put("id", id)
          .put("object", "model")
          .put("created", 1700000000L)
          .put("owned_by", "switchboard-simulator");
    }
    return JsonCodec.bytes(root);
  }

  @Override
  public Map<String, String> responseHeaders() {
    return Map.of("x-request-id", ResponseIds.random("req_", 32));
  }
}
