package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Google Gemini generateContent / streamGenerateContent ({@code ?alt=sse}), {@code x-goog-api-key}
 * or {@code ?key=}. {@code candidatesTokenCount} excludes thoughts, which are reported in {@code
 * thoughtsTokenCount} and only shown (as {@code thought: true} parts) when {@code
 * thinkingConfig.includeThoughts} is set. Both camelCase and snake_case request fields are
 * accepted, as the real API does.
 */
final class GeminiFormat implements WireFormat {
  static final GeminiFormat INSTANCE = new GeminiFormat();

  private GeminiFormat() {}

  @Override
  public ErrorReply checkHeaders(Map<String, String> headers, String rawQuery) {
    String key = headers.get("x-goog-api-key");
    if (key == null || key.isBlank()) {
      key = Route.queryParam(rawQuery, "key");
    }
    if (key == null || key.isBlank()) {
      return new ErrorReply(
          401,
          "Method doesn't allow unregistered callers (callers without established "
              + "identity). Please use API Key or other form of API consumer identity to call this API.");
    }
    return null;
  }

  @Override
  public ChatRequest parse(JsonNode body, Route route) throws InvalidRequestException {
    JsonNode contents = field(body, "contents", "contents");
    if (!contents.isArray() || contents.isEmpty()) {
      throw new InvalidRequestException(
          "* GenerateContentRequest.contents: contents is not specified");
    }
    PromptTokenCounter prompt = new PromptTokenCounter();
    JsonNode system = field(body, "systemInstruction", "system_instruction");
    if (system.isObject()) {
      prompt.message();
      countParts(system.path("parts"), prompt);
    }
    for (JsonNode content : contents) {
      if (!content.isObject()) {
        throw new InvalidRequestException(
            "* GenerateContentRequest.contents: each content must be an object");
      }
      prompt.message();
      countParts(content.path("parts"), prompt);
    }
    JsonNode tools = body.path("tools");
    prompt.json(tools);

    JsonNode config = field(body, "generationConfig", "generation_config");
    Integer cap = RequestFields.optionalPositiveInt(config, "maxOutputTokens");
    if (cap == null) {
      cap = RequestFields.optionalPositiveInt(config, "max_output_tokens");
    }
    JsonNode thinking = field(config, "thinkingConfig", "thinking_config");
    boolean includeThoughts =
        field(thinking, "includeThoughts", "include_thoughts").asBoolean(false);

    boolean afterToolResult = false;
    for (JsonNode part : contents.get(contents.size() - 1).path("parts")) {
      afterToolResult |= part.has("functionResponse") || part.has("function_response");
    }
    JsonNode stops = field(config, "stopSequences", "stop_sequences");
    ChatRequest.Conversation conversation =
        ChatRequest.Conversation.of(contents, "model", GeminiFormat::text);
    return new ChatRequest(
        route.model(),
        route.model() + '\u0000' + system + '\u0000' + conversation.messages(),
        prompt.total(),
        cap,
        RequestFields.stringOrArray(stops.isMissingNode() ? null : stops),
        thinkingTokens(thinking),
        includeThoughts,
        afterToolResult ? null : chooseTool(tools, field(body, "toolConfig", "tool_config")),
        route.streamPath(),
        true,
        new ChatRequest.Prefix(route.model(), system, contents, prompt.beforeLastMessage(), false),
        conversation.prefill());
  }

  /** A content's text: its text parts joined. */
  private static String text(JsonNode content) {
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content.path("parts")) {
      text.append(part.path("text").asText(""));
    }
    return text.toString();
  }

  private static JsonNode field(JsonNode node, String camel, String snake) {
    JsonNode value = node.path(camel);
    return value.isMissingNode() ? node.path(snake) : value;
  }

  private static void countParts(JsonNode parts, PromptTokenCounter prompt) {
    for (JsonNode part : parts) {
      if (part.has("text")) {
        prompt.text(part.path("text").asText());
      } else if (part.has("inlineData")
          || part.has("inline_data")
          || part.has("fileData")
          || part.has("file_data")) {
        prompt.image();
      } else if (part.has("functionCall") || part.has("function_call")) {
        JsonNode call = field(part, "functionCall", "function_call");
        prompt.text(call.path("name").asText());
        prompt.json(call.path("args"));
      } else if (part.has("functionResponse") || part.has("function_response")) {
        JsonNode response = field(part, "functionResponse", "function_response");
        prompt.text(response.path("name").asText());
        prompt.json(response.path("response"));
      }
    }
  }

  private static int thinkingTokens(JsonNode thinking) {
    if (!thinking.isObject()) {
      return 0;
    }
    JsonNode level = field(thinking, "thinkingLevel", "thinking_level");
    if (level.isTextual()) {
      return ReasoningEffort.tokensFor(level.asText());
    }
    JsonNode budget = field(thinking, "thinkingBudget", "thinking_budget");
    if (budget.isIntegralNumber() && budget.asInt() >= 0) {
      return Math.min(ReasoningEffort.DEFAULT_TOKENS, budget.asInt());
    }
    return ReasoningEffort.DEFAULT_TOKENS; // -1 (dynamic) or unspecified budget
  }

  private static ToolDefinition chooseTool(JsonNode tools, JsonNode toolConfig)
      throws InvalidRequestException {
    JsonNode calling = field(toolConfig, "functionCallingConfig", "function_calling_config");
    String mode = calling.path("mode").asText("AUTO").toUpperCase(Locale.ROOT);
    if ("NONE".equals(mode)) {
      return null;
    }
    JsonNode allowed = field(calling, "allowedFunctionNames", "allowed_function_names");
    String wanted =
        "ANY".equals(mode) && allowed.isArray() && !allowed.isEmpty()
            ? allowed.get(0).asText()
            : null;
    boolean anyDeclared = false;
    for (JsonNode tool : tools) {
      for (JsonNode declaration : field(tool, "functionDeclarations", "function_declarations")) {
        anyDeclared = true;
        String name = declaration.path("name").asText();
        if (wanted == null || wanted.equals(name)) {
          JsonNode schema =
              declaration.has("parametersJsonSchema")
                  ? declaration.get("parametersJsonSchema")
                  : declaration.path("parameters");
          return new ToolDefinition(name, schema);
        }
      }
    }
    if (anyDeclared) {
      throw new InvalidRequestException(
          "allowedFunctionNames names '" + wanted + "' which is not declared");
    }
    return null;
  }

  @Override
  public byte[] completionBody(ChatRequest request, CompletionPlan plan, boolean usage) {
    ObjectNode root = JsonCodec.object();
    ObjectNode candidate = root.putArray("candidates").addObject();
    ArrayNode parts = candidate.putObject("content").putArray("parts");
    if (request.exposeReasoning() && plan.reasoningTokens() > 0) {
      parts.addObject().put("text", plan.reasoningText()).put("thought", true);
    }
    if (plan.toolCall() != null) {
      functionCallPart(parts, plan.toolCall());
    } else {
      parts.addObject().put("text", plan.text());
    }
    ((ObjectNode) candidate.get("content")).put("role", "model");
    candidate.put("finishReason", finishReason(plan));
    candidate.put("index", 0);
    if (usage) {
      root.set("usageMetadata", usageMetadata(plan));
    }
    root.put("modelVersion", request.model());
    root.put("responseId", ResponseIds.random("", 23));
    return JsonCodec.bytes(root);
  }

  @Override
  public List<SseEvent> streamEvents(ChatRequest request, CompletionPlan plan, boolean usage) {
    String responseId = ResponseIds.random("", 23);
    List<SseEvent> events =
        new ArrayList<>(plan.textPieces().size() + plan.reasoningPieces().size() + 2);
    if (request.exposeReasoning()) {
      for (String piece : plan.reasoningPieces()) {
        ObjectNode chunk = chunk(request.model(), responseId);
        parts(chunk).addObject().put("text", piece).put("thought", true);
        events.add(SseEvent.content(null, chunk.toString()));
      }
    }
    if (plan.toolCall() != null) {
      ObjectNode chunk = chunk(request.model(), responseId);
      functionCallPart(parts(chunk), plan.toolCall());
      events.add(SseEvent.content(null, chunk.toString()));
    } else {
      for (String piece : plan.textPieces()) {
        ObjectNode chunk = chunk(request.model(), responseId);
        parts(chunk).addObject().put("text", piece);
        events.add(SseEvent.content(null, chunk.toString()));
      }
    }
    // A closing chunk with an empty text part carries finishReason and usage, so cut/stall faults
    // can
    // withhold them; its empty text adds no tokens.
    ObjectNode last = JsonCodec.object();
    ObjectNode candidate = last.putArray("candidates").addObject();
    candidate
        .putObject("content")
        .put("role", "model")
        .putArray("parts")
        .addObject()
        .put("text", "");
    candidate.put("finishReason", finishReason(plan));
    candidate.put("index", 0);
    if (usage) {
      last.set("usageMetadata", usageMetadata(plan));
    }
    last.put("modelVersion", request.model());
    last.put("responseId", responseId);
    events.add(SseEvent.tail(null, last.toString()));
    return events;
  }

  private static ObjectNode chunk(String model, String responseId) {
    ObjectNode root = JsonCodec.object();
    ObjectNode candidate = root.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    content.putArray("parts");
    content.put("role", "model");
    candidate.put("index", 0);
    root.put("modelVersion", model);
    root.put("responseId", responseId);
    return root;
  }

  private static ArrayNode parts(ObjectNode chunk) {
    return (ArrayNode) chunk.get("candidates").get(0).get("content").get("parts");
  }

  private static void functionCallPart(ArrayNode parts, ToolCall call) {
    ObjectNode functionCall = parts.addObject().putObject("functionCall");
    functionCall.put("name", call.name());
    functionCall.set("args", call.arguments());
  }

  private static ObjectNode usageMetadata(CompletionPlan plan) {
    ObjectNode usage = JsonCodec.object();
    usage.put("promptTokenCount", plan.promptTokens());
    if (plan.cacheReadTokens() > 0) {
      usage.put("cachedContentTokenCount", plan.cacheReadTokens());
    }
    usage.put("candidatesTokenCount", plan.visibleTokens());
    usage.put("totalTokenCount", plan.promptTokens() + plan.completionTokens());
    if (plan.reasoningTokens() > 0) {
      usage.put("thoughtsTokenCount", plan.reasoningTokens());
    }
    return usage;
  }

  private static String finishReason(CompletionPlan plan) {
    return plan.finish() == CompletionPlan.Finish.LENGTH ? "MAX_TOKENS" : "STOP";
  }

  @Override
  public SseEvent inBandError() {
    return SseEvent.tail(
        null, errorJson(503, "The model is overloaded. Please try again later.").toString());
  }

  @Override
  public SseEvent malformedEvent() {
    return SseEvent.tail(null, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":");
  }

  @Override
  public byte[] errorBody(int status, String message) {
    return JsonCodec.bytes(errorJson(status, message));
  }

  private static ObjectNode errorJson(int status, String message) {
    String code;
    switch (status) {
      case 400:
        code = "INVALID_ARGUMENT";
        break;
      case 401:
        code = "UNAUTHENTICATED";
        break;
      case 403:
        code = "PERMISSION_DENIED";
        break;
      case 404:
        code = "NOT_FOUND";
        break;
      case 409:
        code = "ABORTED";
        break;
      case 429:
        code = "RESOURCE_EXHAUSTED";
        break;
      case 501:
        code = "UNIMPLEMENTED";
        break;
      case 503:
        code = "UNAVAILABLE";
        break;
      case 504:
        code = "DEADLINE_EXCEEDED";
        break;
      default:
        code = status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    }
    ObjectNode root = JsonCodec.object();
    root.putObject("error").put("code", status).put("message", message).put("status", code);
    return root;
  }

  @Override
  public byte[] modelsBody() {
    ObjectNode root = JsonCodec.object();
    ArrayNode models = root.putArray("models");
    for (String id : new String[] {"sim-gemini-flash", "sim-gemini-pro"}) {
      ObjectNode model = models.addObject();
      model.put("name", "models/" + id);
      model.put("version", "001");
      model.put("displayName", "Simulated " + id);
      model.put("inputTokenLimit", 1048576);
      model.put("outputTokenLimit", 65536);
      model.putArray("supportedGenerationMethods").add("generateContent").add("countTokens");
    }
    return JsonCodec.bytes(root);
  }

  @Override
  public String sseLineEnd() {
    return "\r\n";
  }
}
