package dev.switchboard.api.inference.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * An Anthropic Messages request body as Switchboard's OpenAI-shaped chat request. Invalid input is
 * refused with an {@link IllegalArgumentException} whose message starts with the offending field's
 * path, as Anthropic's own 400s do.
 */
public final class MessagesRequestMapper {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  // Real Anthropic block types Switchboard cannot carry in the OpenAI shape: refused by name, not
  // as unknown.
  private static final Set<String> UNSUPPORTED_BLOCKS =
      Set.of(
          "document",
          "search_result",
          "server_tool_use",
          "web_search_tool_result",
          "code_execution_tool_result",
          "mcp_tool_use",
          "mcp_tool_result",
          "container_upload");

  public ObjectNode toChatRequest(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("body: must be a JSON object");
    }
    ObjectNode chat = NODES.objectNode();
    if (!body.path("model").isTextual() || body.path("model").textValue().isBlank()) {
      throw new IllegalArgumentException("model: required");
    }
    chat.put("model", body.path("model").textValue());
    ArrayNode messages = chat.putArray("messages");
    addSystem(body.get("system"), messages);
    JsonNode input = body.get("messages");
    if (input == null || !input.isArray() || input.isEmpty()) {
      throw new IllegalArgumentException("messages: required, a non-empty array");
    }
    for (int i = 0; i < input.size(); i++) {
      addMessage(input.get(i), "messages[" + i + "]", messages);
    }
    chat.put("max_tokens", maxTokens(body.get("max_tokens")));
    addTools(body, chat);
    addSampling(body, chat);
    addThinking(body.get("thinking"), chat);
    JsonNode userId = body.path("metadata").path("user_id");
    if (userId.isTextual()) {
      chat.put("user", userId.textValue());
    }
    JsonNode stream = body.get("stream");
    if (stream != null && !stream.isNull()) {
      if (!stream.isBoolean()) {
        throw new IllegalArgumentException("stream: must be a boolean");
      }
      chat.put("stream", stream.booleanValue());
    }
    return chat;
  }

  private static int maxTokens(JsonNode value) {
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("max_tokens: required");
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
      throw new IllegalArgumentException("max_tokens: must be a positive integer");
    }
    return value.intValue();
  }

  private static void addSystem(JsonNode system, ArrayNode messages) {
    if (system == null || system.isNull()) {
      return;
    }
    if (system.isTextual()) {
      if (!system.textValue().isEmpty()) {
        messages.addObject().put("role", "system").put("content", system.textValue());
      }
      return;
    }
    if (!system.isArray()) {
      throw new IllegalArgumentException("system: must be a string or an array of text blocks");
    }
    ArrayNode parts = NODES.arrayNode();
    for (int i = 0; i < system.size(); i++) {
      JsonNode block = system.get(i);
      if (!"text".equals(block.path("type").asText())) {
        throw new IllegalArgumentException(
            "system[" + i + "].type: must be 'text', got '" + block.path("type").asText() + "'");
      }
      parts.add(textPart(block, "system[" + i + "]"));
    }
    if (!parts.isEmpty()) {
      messages.addObject().put("role", "system").set("content", collapsed(parts));
    }
  }

  private static void addMessage(JsonNode message, String path, ArrayNode messages) {
    String role = message.path("role").asText();
    if (!role.equals("user") && !role.equals("assistant")) {
      throw new IllegalArgumentException(
          path + ".role: must be 'user' or 'assistant', got '" + role + "'");
    }
    JsonNode content = message.get("content");
    if (content != null && content.isTextual()) {
      messages.addObject().put("role", role).put("content", content.textValue());
    } else if (content == null || !content.isArray()) {
      throw new IllegalArgumentException(
          path + ".content: must be a string or an array of content blocks");
    } else if (role.equals("user")) {
      addUserBlocks(content, path, messages);
    } else {
      messages.add(assistantMessage(content, path));
    }
  }

  /**
   * OpenAI carries each tool result as its own {@code tool} message, so a user turn splits into
   * tool messages and a user message with the remaining parts, in their original order.
   */
  private static void addUserBlocks(JsonNode content, String path, ArrayNode messages) {
    ArrayNode parts = NODES.arrayNode();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String blockPath = path + ".content[" + j + "]";
      String type = block.path("type").asText();
      switch (type) {
        case "text" -> parts.add(textPart(block, blockPath));
        case "image" -> parts.add(imagePart(block, blockPath));
        case "tool_result" -> {
          flushUserParts(parts, messages);
          messages.add(toolMessage(block, blockPath));
        }
        default -> throw unknownBlock(blockPath, type);
      }
    }
    flushUserParts(parts, messages);
  }

  private static void flushUserParts(ArrayNode parts, ArrayNode messages) {
    if (parts.isEmpty()) {
      return;
    }
    messages.addObject().put("role", "user").set("content", collapsed(parts.deepCopy()));
    parts.removeAll();
  }

  /** A lone plain text part as a plain string, the form most OpenAI-shaped providers expect. */
  private static JsonNode collapsed(ArrayNode parts) {
    JsonNode first = parts.get(0);
    if (parts.size() == 1
        && "text".equals(first.path("type").asText())
        && !first.has("cache_control")) {
      return first.get("text");
    }
    return parts;
  }

  private static ObjectNode toolMessage(JsonNode block, String path) {
    if (!block.path("tool_use_id").isTextual()) {
      throw new IllegalArgumentException(path + ".tool_use_id: required");
    }
    ObjectNode tool = NODES.objectNode().put("role", "tool");
    tool.put("tool_call_id", block.path("tool_use_id").textValue());
    JsonNode content = block.get("content");
    if (content == null || content.isNull()) {
      tool.put("content", "");
    } else if (content.isTextual()) {
      tool.put("content", content.textValue());
    } else if (content.isArray()) {
      ArrayNode parts = tool.putArray("content");
      for (int k = 0; k < content.size(); k++) {
        JsonNode inner = content.get(k);
        String innerPath = path + ".content[" + k + "]";
        String type = inner.path("type").asText();
        switch (type) {
          case "text" -> parts.add(textPart(inner, innerPath));
          case "image" -> parts.add(imagePart(inner, innerPath));
          default -> throw unknownBlock(innerPath, type);
        }
      }
    } else {
      throw new IllegalArgumentException(path + ".content: must be a string or an array of blocks");
    }
    return tool;
  }

  private static ObjectNode assistantMessage(JsonNode content, String path) {
    ArrayNode texts = NODES.arrayNode();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode toolCalls = NODES.arrayNode();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String blockPath = path + ".content[" + j + "]";
      String type = block.path("type").asText();
      switch (type) {
        case "text" -> texts.add(textPart(block, blockPath));
        case "thinking" -> reasoning.append(block.path("thinking").asText());
        case "redacted_thinking" -> {
          // Encrypted for Anthropic only; no provider behind the OpenAI shape could read it.
        }
        case "tool_use" -> toolCalls.add(toolCall(block, blockPath));
        default -> throw unknownBlock(blockPath, type);
      }
    }
    ObjectNode message = NODES.objectNode().put("role", "assistant");
    if (texts.isEmpty()) {
      if (toolCalls.isEmpty()) {
        message.put("content", "");
      } else {
        message.putNull("content");
      }
    } else if (texts.findValue("cache_control") != null) {
      message.set("content", texts);
    } else {
      StringBuilder text = new StringBuilder();
      texts.forEach(part -> text.append(part.path("text").asText()));
      message.put("content", text.toString());
    }
    if (reasoning.length() > 0) {
      message.put("reasoning", reasoning.toString());
    }
    if (!toolCalls.isEmpty()) {
      message.set("tool_calls", toolCalls);
    }
    return message;
  }

  private static ObjectNode toolCall(JsonNode block, String path) {
    if (!block.path("id").isTextual()) {
      throw new IllegalArgumentException(path + ".id: required");
    }
    if (!block.path("name").isTextual()) {
      throw new IllegalArgumentException(path + ".name: required");
    }
    JsonNode input = block.path("input");
    if (!input.isMissingNode() && !input.isObject()) {
      throw new IllegalArgumentException(path + ".input: must be an object");
    }
    ObjectNode call =
        NODES.objectNode().put("id", block.path("id").textValue()).put("type", "function");
    call.putObject("function")
        .put("name", block.path("name").textValue())
        .put("arguments", input.isObject() ? input.toString() : "{}");
    return call;
  }

  private static ObjectNode textPart(JsonNode block, String path) {
    if (!block.path("text").isTextual()) {
      throw new IllegalArgumentException(path + ".text: required");
    }
    ObjectNode part =
        NODES.objectNode().put("type", "text").put("text", block.path("text").textValue());
    if (block.path("cache_control").isObject()) {
      part.set("cache_control", block.path("cache_control").deepCopy());
    }
    return part;
  }

  private static ObjectNode imagePart(JsonNode block, String path) {
    JsonNode source = block.path("source");
    String url;
    switch (source.path("type").asText()) {
      case "base64" -> {
        if (!source.path("media_type").isTextual() || !source.path("data").isTextual()) {
          throw new IllegalArgumentException(
              path + ".source: base64 sources need media_type and data");
        }
        url =
            "data:"
                + source.path("media_type").textValue()
                + ";base64,"
                + source.path("data").textValue();
      }
      case "url" -> {
        if (!source.path("url").isTextual()) {
          throw new IllegalArgumentException(path + ".source.url: required");
        }
        url = source.path("url").textValue();
      }
      default ->
          throw new IllegalArgumentException(
              path
                  + ".source.type: must be 'base64' or 'url', got '"
                  + source.path("type").asText()
                  + "'");
    }
    ObjectNode part = NODES.objectNode().put("type", "image_url");
    part.putObject("image_url").put("url", url);
    return part;
  }

  private static IllegalArgumentException unknownBlock(String path, String type) {
    if (UNSUPPORTED_BLOCKS.contains(type)) {
      return new IllegalArgumentException(
          path + ".type: block type '" + type + "' is not supported");
    }
    return new IllegalArgumentException(path + ".type: unknown block type '" + type + "'");
  }

  private static void addTools(JsonNode body, ObjectNode chat) {
    JsonNode tools = body.get("tools");
    if (tools != null && !tools.isNull()) {
      if (!tools.isArray()) {
        throw new IllegalArgumentException("tools: must be an array");
      }
      ArrayNode openAiTools = chat.putArray("tools");
      for (int i = 0; i < tools.size(); i++) {
        openAiTools.add(tool(tools.get(i), "tools[" + i + "]"));
      }
    }
    JsonNode choice = body.get("tool_choice");
    if (choice == null || choice.isNull()) {
      return;
    }
    String type = choice.path("type").asText();
    switch (type) {
      case "auto" -> chat.put("tool_choice", "auto");
      case "any" -> chat.put("tool_choice", "required");
      case "none" -> chat.put("tool_choice", "none");
      case "tool" -> {
        if (!choice.path("name").isTextual()) {
          throw new IllegalArgumentException("tool_choice.name: required when type is 'tool'");
        }
        ObjectNode named = chat.putObject("tool_choice").put("type", "function");
        named.putObject("function").put("name", choice.path("name").textValue());
      }
      default ->
          throw new IllegalArgumentException("tool_choice.type: unknown type '" + type + "'");
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
      chat.put("parallel_tool_calls", false);
    }
  }

  private static ObjectNode tool(JsonNode tool, String path) {
    String type = tool.path("type").asText("custom");
    if (!type.equals("custom")) {
      throw new IllegalArgumentException(
          path + ".type: server tool '" + type + "' is not supported");
    }
    if (!tool.path("name").isTextual() || tool.path("name").textValue().isBlank()) {
      throw new IllegalArgumentException(path + ".name: required");
    }
    if (!tool.path("input_schema").isObject()) {
      throw new IllegalArgumentException(path + ".input_schema: required, a JSON Schema object");
    }
    ObjectNode function = NODES.objectNode().put("name", tool.path("name").textValue());
    if (tool.path("description").isTextual()) {
      function.put("description", tool.path("description").textValue());
    }
    function.set("parameters", tool.path("input_schema").deepCopy());
    ObjectNode openAiTool = NODES.objectNode().put("type", "function");
    openAiTool.set("function", function);
    return openAiTool;
  }

  private static void addSampling(JsonNode body, ObjectNode chat) {
    for (String field : new String[] {"temperature", "top_p"}) {
      JsonNode value = body.get(field);
      if (value != null && !value.isNull()) {
        if (!value.isNumber()) {
          throw new IllegalArgumentException(field + ": must be a number");
        }
        chat.set(field, value);
      }
    }
    JsonNode topK = body.get("top_k");
    if (topK != null && !topK.isNull()) {
      if (!topK.isIntegralNumber()) {
        throw new IllegalArgumentException("top_k: must be an integer");
      }
      chat.set("top_k", topK);
    }
    JsonNode stops = body.get("stop_sequences");
    if (stops != null && !stops.isNull()) {
      if (!stops.isArray()) {
        throw new IllegalArgumentException("stop_sequences: must be an array of strings");
      }
      for (int i = 0; i < stops.size(); i++) {
        if (!stops.get(i).isTextual()) {
          throw new IllegalArgumentException("stop_sequences[" + i + "]: must be a string");
        }
      }
      if (!stops.isEmpty()) {
        chat.set("stop", stops.deepCopy());
      }
    }
  }

  private static void addThinking(JsonNode thinking, ObjectNode chat) {
    if (thinking == null || thinking.isNull()) {
      return;
    }
    String type = thinking.path("type").asText();
    switch (type) {
      case "enabled" -> {
        JsonNode budget = thinking.path("budget_tokens");
        if (!budget.isIntegralNumber() || budget.intValue() < 1) {
          throw new IllegalArgumentException(
              "thinking.budget_tokens: required, a positive integer, when thinking is enabled");
        }
        chat.putObject("reasoning").put("max_tokens", budget.intValue());
      }
      case "adaptive" -> chat.putObject("reasoning").put("enabled", true);
      case "disabled" -> {
        // the default: no reasoning field
      }
      default -> throw new IllegalArgumentException("thinking.type: unknown type '" + type + "'");
    }
  }
}
