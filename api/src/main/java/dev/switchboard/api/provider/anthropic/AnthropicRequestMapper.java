package dev.switchboard.api.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/**
 * An OpenAI-shaped chat request as an Anthropic Messages body. Requests are validated by the
 * gateway before they get here; what Anthropic cannot express is refused with an {@link
 * IllegalArgumentException} naming the field rather than silently dropped, except for sampling
 * knobs Anthropic lacks ({@code seed}, {@code response_format}, penalties), which are best-effort
 * by nature.
 */
public final class AnthropicRequestMapper {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final double ANTHROPIC_MAX_TEMPERATURE = 1.0;
  // Anthropic refuses a top_p below this while thinking.
  private static final double THINKING_MIN_TOP_P = 0.95;

  /** The body for {@code POST {base}/messages}. */
  public ObjectNode toMessagesBody(ObjectNode chat, String upstreamModel, boolean stream) {
    int maxTokens = maxTokens(chat);
    ArrayNode system = NODES.arrayNode();
    List<Turn> turns = new ArrayList<>();
    JsonNode messages = chat.path("messages");
    for (int i = 0; i < messages.size(); i++) {
      addMessage(messages.get(i), "messages[" + i + "]", system, turns);
    }

    ObjectNode body = NODES.objectNode();
    body.put("model", upstreamModel);
    body.put("max_tokens", maxTokens);
    if (system.size() == 1 && !system.get(0).has("cache_control")) {
      body.put("system", system.get(0).path("text").asText());
    } else if (!system.isEmpty()) {
      body.set("system", system);
    }
    ArrayNode anthropicMessages = body.putArray("messages");
    turns.forEach(turn -> anthropicMessages.add(turn.toJson()));

    boolean forcesTool = addTools(chat, body);
    OptionalInt budget = ThinkingBudget.of(chat.get("reasoning"), maxTokens);
    boolean thinking = budget.isPresent() && !forcesTool && !lastAssistantTurnUsesTools(turns);
    if (thinking) {
      body.putObject("thinking").put("type", "enabled").put("budget_tokens", budget.getAsInt());
    }
    addSampling(chat, body, thinking);
    JsonNode stop = chat.get("stop");
    if (stop != null && stop.isTextual()) {
      body.putArray("stop_sequences").add(stop.textValue());
    } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
      body.set("stop_sequences", stop.deepCopy());
    }
    if (chat.path("user").isTextual()) {
      body.putObject("metadata").put("user_id", chat.path("user").textValue());
    }
    if (stream) {
      body.put("stream", true);
    }
    return body;
  }

  private static int maxTokens(ObjectNode chat) {
    JsonNode value =
        chat.has("max_tokens") ? chat.get("max_tokens") : chat.get("max_completion_tokens");
    if (value == null || !value.canConvertToInt() || value.intValue() < 1) {
      throw new IllegalArgumentException(
          "max_tokens: required by Anthropic and must be a positive integer");
    }
    return value.intValue();
  }

  private void addMessage(JsonNode message, String path, ArrayNode system, List<Turn> turns) {
    String role = message.path("role").asText();
    switch (role) {
      case "system", "developer" -> system.addAll(textBlocks(message.get("content"), path));
      case "user" -> append(turns, "user", contentBlocks(message.get("content"), path));
      case "assistant" -> append(turns, "assistant", assistantBlocks(message, path));
      case "tool" -> append(turns, "user", List.of(toolResult(message, path)));
      default -> throw new IllegalArgumentException(path + ".role: unknown role '" + role + "'");
    }
  }

  /**
   * Anthropic requires user and assistant turns to alternate, so same-role neighbours are merged.
   */
  private static void append(List<Turn> turns, String role, List<ObjectNode> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    if (!turns.isEmpty() && turns.get(turns.size() - 1).role().equals(role)) {
      turns.get(turns.size() - 1).blocks().addAll(blocks);
    } else {
      turns.add(new Turn(role, new ArrayList<>(blocks)));
    }
  }

  private static List<ObjectNode> textBlocks(JsonNode content, String path) {
    List<ObjectNode> blocks = new ArrayList<>();
    if (content == null || content.isNull()) {
      return blocks;
    }
    if (content.isTextual()) {
      addText(blocks, content.textValue(), null);
      return blocks;
    }
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String type = part.path("type").asText();
      if (!"text".equals(type)) {
        throw new IllegalArgumentException(
            path + ".content[" + j + "].type: '" + type + "' is not allowed here, only text");
      }
      addText(blocks, part.path("text").asText(), part.get("cache_control"));
    }
    return blocks;
  }

  // Anthropic rejects empty text blocks.
  private static void addText(List<ObjectNode> blocks, String text, JsonNode cacheControl) {
    if (text.isEmpty()) {
      return;
    }
    ObjectNode block = NODES.objectNode().put("type", "text").put("text", text);
    if (cacheControl != null && cacheControl.isObject()) {
      block.set("cache_control", cacheControl.deepCopy());
    }
    blocks.add(block);
  }

  private static List<ObjectNode> contentBlocks(JsonNode content, String path) {
    if (content == null || content.isNull() || content.isTextual()) {
      return textBlocks(content, path);
    }
    if (!content.isArray()) {
      throw new IllegalArgumentException(path + ".content: must be a string or an array of parts");
    }
    List<ObjectNode> blocks = new ArrayList<>();
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String partPath = path + ".content[" + j + "]";
      switch (part.path("type").asText()) {
        case "text" -> addText(blocks, part.path("text").asText(), part.get("cache_control"));
        case "image_url" -> blocks.add(imageBlock(part.path("image_url"), partPath));
        default ->
            throw new IllegalArgumentException(
                partPath
                    + ".type: part type '"
                    + part.path("type").asText()
                    + "' is not supported by Anthropic");
      }
    }
    return blocks;
  }

  private static ObjectNode imageBlock(JsonNode imageUrl, String path) {
    String url = imageUrl.isTextual() ? imageUrl.textValue() : imageUrl.path("url").asText();
    ObjectNode block = NODES.objectNode().put("type", "image");
    ObjectNode source = block.putObject("source");
    if (url.startsWith("data:")) {
      int comma = url.indexOf(',');
      String header = comma < 0 ? "" : url.substring("data:".length(), comma);
      if (!header.endsWith(";base64")) {
        throw new IllegalArgumentException(
            path + ".image_url.url: data URLs must be base64-encoded");
      }
      source.put("type", "base64");
      source.put("media_type", header.substring(0, header.length() - ";base64".length()));
      source.put("data", url.substring(comma + 1));
    } else if (url.startsWith("https://") || url.startsWith("http://")) {
      source.put("type", "url").put("url", url);
    } else {
      throw new IllegalArgumentException(path + ".image_url.url: must be a data: or http(s) URL");
    }
    return block;
  }

  private List<ObjectNode> assistantBlocks(JsonNode message, String path) {
    List<ObjectNode> blocks =
        new ArrayList<>(textBlocks(textPartsOnly(message.get("content")), path));
    JsonNode toolCalls = message.path("tool_calls");
    for (int j = 0; j < toolCalls.size(); j++) {
      JsonNode call = toolCalls.get(j);
      String callPath = path + ".tool_calls[" + j + "]";
      ObjectNode block = NODES.objectNode().put("type", "tool_use");
      block.put("id", call.path("id").asText());
      block.put("name", call.path("function").path("name").asText());
      block.set("input", toolInput(call.path("function").path("arguments").asText(""), callPath));
      blocks.add(block);
    }
    return blocks;
  }

  // Assistant content may carry refusal parts, which have no Anthropic counterpart in a request.
  private static JsonNode textPartsOnly(JsonNode content) {
    if (content == null || !content.isArray()) {
      return content;
    }
    ArrayNode texts = NODES.arrayNode();
    content.forEach(
        part -> {
          if ("text".equals(part.path("type").asText())) {
            texts.add(part);
          }
        });
    return texts;
  }

  private static ObjectNode toolInput(String arguments, String path) {
    if (arguments.isBlank()) {
      return NODES.objectNode();
    }
    try {
      JsonNode input = Json.MAPPER.readTree(arguments);
      if (input instanceof ObjectNode object) {
        return object;
      }
    } catch (JsonProcessingException e) {
      // fall through: the same message for any non-object
    }
    throw new IllegalArgumentException(path + ".function.arguments: must be a JSON object");
  }

  private static ObjectNode toolResult(JsonNode message, String path) {
    if (!message.path("tool_call_id").isTextual()) {
      throw new IllegalArgumentException(path + ".tool_call_id: required for tool messages");
    }
    ObjectNode block = NODES.objectNode().put("type", "tool_result");
    block.put("tool_use_id", message.path("tool_call_id").textValue());
    JsonNode content = message.get("content");
    if (content != null && content.isTextual()) {
      block.put("content", content.textValue());
    } else if (content != null && content.isArray()) {
      ArrayNode blocks = block.putArray("content");
      contentBlocks(content, path).forEach(blocks::add);
    }
    return block;
  }

  /** Adds tools and tool_choice; answers whether the choice forces a tool call. */
  private static boolean addTools(ObjectNode chat, ObjectNode body) {
    JsonNode tools = chat.path("tools");
    if (!tools.isArray() || tools.isEmpty()) {
      return false;
    }
    ArrayNode anthropicTools = body.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode function = tools.get(i).path("function");
      if (!function.path("name").isTextual()) {
        throw new IllegalArgumentException("tools[" + i + "].function.name: required");
      }
      ObjectNode tool = anthropicTools.addObject().put("name", function.path("name").textValue());
      if (function.path("description").isTextual()) {
        tool.put("description", function.path("description").textValue());
      }
      // input_schema is required by Anthropic; OpenAI allows a tool without parameters.
      JsonNode parameters = function.get("parameters");
      tool.set(
          "input_schema",
          parameters != null && parameters.isObject()
              ? parameters.deepCopy()
              : NODES.objectNode().put("type", "object").set("properties", NODES.objectNode()));
    }
    ObjectNode choice = toolChoice(chat.get("tool_choice"));
    if (chat.path("parallel_tool_calls").isBoolean()
        && !chat.path("parallel_tool_calls").booleanValue()) {
      if (choice == null) {
        choice = NODES.objectNode().put("type", "auto");
      }
      if (!"none".equals(choice.path("type").asText())) {
        choice.put("disable_parallel_tool_use", true);
      }
    }
    if (choice != null) {
      body.set("tool_choice", choice);
    }
    String type = choice == null ? "auto" : choice.path("type").asText();
    return "any".equals(type) || "tool".equals(type);
  }

  private static ObjectNode toolChoice(JsonNode choice) {
    if (choice == null || choice.isNull()) {
      return null;
    }
    if (choice.isTextual()) {
      return switch (choice.textValue()) {
        case "auto" -> NODES.objectNode().put("type", "auto");
        case "required" -> NODES.objectNode().put("type", "any");
        case "none" -> NODES.objectNode().put("type", "none");
        default ->
            throw new IllegalArgumentException(
                "tool_choice: unknown value '" + choice.textValue() + "'");
      };
    }
    String name = choice.path("function").path("name").asText();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("tool_choice.function.name: required");
    }
    return NODES.objectNode().put("type", "tool").put("name", name);
  }

  /**
   * Anthropic takes temperature only up to 1, and with thinking on it refuses any temperature or
   * top_k and a top_p below 0.95; those are dropped rather than failing a request another provider
   * would accept.
   */
  private static void addSampling(ObjectNode chat, ObjectNode body, boolean thinking) {
    JsonNode temperature = chat.get("temperature");
    if (!thinking && temperature != null && temperature.isNumber()) {
      if (temperature.doubleValue() > ANTHROPIC_MAX_TEMPERATURE) {
        body.put("temperature", ANTHROPIC_MAX_TEMPERATURE);
      } else {
        body.set("temperature", temperature);
      }
    }
    JsonNode topP = chat.get("top_p");
    if (topP != null
        && topP.isNumber()
        && (!thinking || topP.doubleValue() >= THINKING_MIN_TOP_P)) {
      body.set("top_p", topP);
    }
    JsonNode topK = chat.get("top_k");
    if (!thinking && topK != null && topK.canConvertToInt()) {
      body.set("top_k", topK);
    }
  }

  /**
   * With thinking on, Anthropic requires the assistant turn that called tools to start with its
   * signed thinking block. Switchboard's OpenAI shape does not carry signatures, so mid tool loop
   * thinking is left off instead of the request failing.
   */
  private static boolean lastAssistantTurnUsesTools(List<Turn> turns) {
    for (int i = turns.size() - 1; i >= 0; i--) {
      Turn turn = turns.get(i);
      if (turn.role().equals("assistant")) {
        return turn.blocks().stream()
            .anyMatch(block -> "tool_use".equals(block.path("type").asText()));
      }
    }
    return false;
  }

  /** One Anthropic message being assembled. */
  private record Turn(String role, List<ObjectNode> blocks) {

    ObjectNode toJson() {
      ObjectNode message = NODES.objectNode().put("role", role);
      // Anthropic requires tool_result blocks to come first in a user turn.
      List<ObjectNode> ordered = new ArrayList<>(blocks);
      ordered.sort(
          Comparator.comparingInt(
              block -> "tool_result".equals(block.path("type").asText()) ? 0 : 1));
      if (ordered.size() == 1 && isPlainText(ordered.get(0))) {
        message.put("content", ordered.get(0).path("text").asText());
      } else {
        message.putArray("content").addAll(ordered);
      }
      return message;
    }

    private static boolean isPlainText(ObjectNode block) {
      return "text".equals(block.path("type").asText()) && !block.has("cache_control");
    }
  }
}
