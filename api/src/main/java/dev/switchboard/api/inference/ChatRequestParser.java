package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates an OpenAI-shape chat request into a {@link ChatRequest}. Every problem is a 400 that
 * names the field; nothing is reserved or written before this passes. Only an allow-list of fields
 * is forwarded to providers, and fields that try to steer Switchboard itself ({@code api_base},
 * {@code tenant_id}, …) are refused outright.
 */
public final class ChatRequestParser {

  static final int MAX_MESSAGES = 10_000;
  static final int MAX_FALLBACK_MODELS = 10;
  static final long MAX_TOKENS_LIMIT = 10_000_000;

  /** Forwarded to providers when present. */
  private static final Set<String> FORWARDED =
      Set.of(
          "messages",
          "tools",
          "tool_choice",
          "parallel_tool_calls",
          "temperature",
          "top_p",
          "top_k",
          "min_p",
          "top_a",
          "frequency_penalty",
          "presence_penalty",
          "repetition_penalty",
          "stop",
          "seed",
          "response_format",
          "reasoning",
          "user",
          "logit_bias",
          "logprobs",
          "top_logprobs");

  /**
   * Parameters an endpoint may not support, checked against its {@code supported_parameters}: every
   * forwarded field but the conversation itself and the end-user id.
   */
  static final Set<String> OPTIONAL_PARAMETERS =
      FORWARDED.stream()
          .filter(field -> !field.equals("messages") && !field.equals("user"))
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  /**
   * Never meaningful in a request body, and a known way to attack gateways: refused, not ignored.
   */
  private static final Set<String> REFUSED =
      Set.of(
          "api_base",
          "base_url",
          "api_key",
          "api_version",
          "custom_llm_provider",
          "tenant_id",
          "org_id",
          "organization_id",
          "balance",
          "credits");

  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool");

  private ChatRequestParser() {}

  public static ChatRequest parse(JsonNode root, ApiType apiType) {
    ObjectNode body = (ObjectNode) root;
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (REFUSED.contains(name)) {
        throw ApiException.badRequest("The field '" + name + "' is not accepted");
      }
    }
    rejectUnpairedSurrogates(body, "");
    List<String> models = models(body);
    boolean stream = optionalBoolean(body, "stream", false);
    JsonNode n = body.get("n");
    if (n != null && !n.isNull() && !(n.isIntegralNumber() && n.asLong() == 1)) {
      throw ApiException.badRequest("'n' must be 1: one choice per request is supported");
    }
    Long maxTokens = maxTokens(body);
    ArrayNode messages = messages(body);
    validateSampling(body);
    ObjectNode forwarded = Json.MAPPER.createObjectNode();
    Set<String> used = new HashSet<>();
    for (String field : FORWARDED) {
      JsonNode value = body.get(field);
      if (value != null && !value.isNull()) {
        forwarded.set(field, value);
        if (OPTIONAL_PARAMETERS.contains(field)) {
          used.add(field);
        }
      }
    }
    if (body.hasNonNull("tools") && !(body.get("tools").isArray())) {
      throw ApiException.badRequest("'tools' must be an array");
    }
    PromptSize size = PromptSize.of(messages, body.get("tools"));
    return new ChatRequest(
        models,
        stream,
        maxTokens,
        forwarded,
        ProviderPreferences.parse(body.get("provider")),
        Set.copyOf(used),
        size.tokenBound(),
        size.tokenEstimate(),
        apiType,
        hasImages(messages),
        conversation(body, messages));
  }

  /**
   * The conversation a request belongs to: its {@code session_id}, else its {@code user}, else the
   * SHA-256 of its leading system messages and first user message (the same in every turn).
   */
  private static String conversation(ObjectNode body, ArrayNode messages) {
    JsonNode session = body.get("session_id");
    if (session != null && !session.isNull()) {
      if (!session.isTextual() || session.asText().isEmpty() || session.asText().length() > 256) {
        throw ApiException.badRequest("'session_id' must be a string of 1 to 256 characters");
      }
      return "session:" + session.asText();
    }
    JsonNode user = body.get("user");
    if (user != null && user.isTextual() && !user.asText().isEmpty()) {
      return "user:" + user.asText();
    }
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always there", e);
    }
    for (JsonNode message : messages) {
      String role = message.path("role").asText();
      digest.update(role.getBytes(StandardCharsets.UTF_8));
      digest.update(message.path("content").toString().getBytes(StandardCharsets.UTF_8));
      if (role.equals("user")) {
        break;
      }
    }
    return "prompt:" + HexFormat.of().formatHex(digest.digest(), 0, 16);
  }

  private static boolean hasImages(ArrayNode messages) {
    for (JsonNode message : messages) {
      for (JsonNode part : message.path("content")) {
        if ("image_url".equals(part.path("type").asText())) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> models(ObjectNode body) {
    Set<String> models = new LinkedHashSet<>();
    JsonNode model = body.get("model");
    if (model != null && !model.isNull()) {
      if (!model.isTextual() || model.asText().isBlank() || model.asText().length() > 200) {
        throw ApiException.badRequest("'model' must be a model id such as \"openai/gpt-4o-mini\"");
      }
      models.add(model.asText().trim());
    }
    JsonNode fallbacks = body.get("models");
    if (fallbacks != null && !fallbacks.isNull()) {
      if (!fallbacks.isArray() || fallbacks.size() > MAX_FALLBACK_MODELS) {
        throw ApiException.badRequest(
            "'models' must be an array of at most " + MAX_FALLBACK_MODELS + " model ids");
      }
      for (JsonNode m : fallbacks) {
        if (!m.isTextual() || m.asText().isBlank() || m.asText().length() > 200) {
          throw ApiException.badRequest("'models' must hold model ids");
        }
        models.add(m.asText().trim());
      }
    }
    if (models.isEmpty()) {
      throw ApiException.badRequest("'model' is required");
    }
    return List.copyOf(models);
  }

  private static Long maxTokens(ObjectNode body) {
    Long maxTokens = null;
    for (String field : List.of("max_tokens", "max_completion_tokens")) {
      JsonNode value = body.get(field);
      if (value == null || value.isNull()) {
        continue;
      }
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw ApiException.badRequest("'" + field + "' must be a whole number");
      }
      long tokens = value.asLong();
      if (tokens < 1 || tokens > MAX_TOKENS_LIMIT) {
        throw ApiException.badRequest(
            "'" + field + "' must be between 1 and " + MAX_TOKENS_LIMIT + ", got " + tokens);
      }
      maxTokens = maxTokens == null ? tokens : Math.min(maxTokens, tokens);
    }
    return maxTokens;
  }

  private static ArrayNode messages(ObjectNode body) {
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw ApiException.badRequest("'messages' must be a non-empty array");
    }
    if (messages.size() > MAX_MESSAGES) {
      throw ApiException.badRequest("'messages' holds more than " + MAX_MESSAGES + " messages");
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String where = "messages[" + i + "]";
      if (!message.isObject()) {
        throw ApiException.badRequest(where + " must be an object");
      }
      String role = message.path("role").asText("");
      if (!ROLES.contains(role)) {
        throw ApiException.badRequest(
            where + ".role must be one of " + ROLES + ", got '" + role + "'");
      }
      JsonNode content = message.get("content");
      boolean hasToolCalls =
          message.path("tool_calls").isArray() && !message.get("tool_calls").isEmpty();
      if (content == null || content.isNull()) {
        if (!(role.equals("assistant") && hasToolCalls)) {
          throw ApiException.badRequest(where + ".content is required");
        }
      } else if (content.isArray()) {
        for (int p = 0; p < content.size(); p++) {
          validatePart(content.get(p), where + ".content[" + p + "]");
        }
      } else if (!content.isTextual()) {
        throw ApiException.badRequest(where + ".content must be a string or an array of parts");
      }
      if (role.equals("tool") && !message.path("tool_call_id").isTextual()) {
        throw ApiException.badRequest(where + ".tool_call_id is required for a tool message");
      }
    }
    return (ArrayNode) messages;
  }

  private static void validatePart(JsonNode part, String where) {
    String type = part.path("type").asText("");
    switch (type) {
      case "text" -> {
        if (!part.path("text").isTextual()) {
          throw ApiException.badRequest(where + ".text must be a string");
        }
      }
      case "image_url" -> {
        String url = part.path("image_url").path("url").asText("");
        if (!(url.startsWith("https://")
            || url.startsWith("http://")
            || url.startsWith("data:image/"))) {
          throw ApiException.badRequest(
              where + ".image_url.url must be an http(s) URL or a data:image/ URL");
        }
      }
      default ->
          throw ApiException.badRequest(
              where + ".type must be 'text' or 'image_url', got '" + type + "'");
    }
  }

  private static void validateSampling(ObjectNode body) {
    range(body, "temperature", BigDecimal.ZERO, BigDecimal.valueOf(2));
    range(body, "top_p", BigDecimal.ZERO, BigDecimal.ONE);
    range(body, "min_p", BigDecimal.ZERO, BigDecimal.ONE);
    range(body, "top_a", BigDecimal.ZERO, BigDecimal.ONE);
    range(body, "frequency_penalty", BigDecimal.valueOf(-2), BigDecimal.valueOf(2));
    range(body, "presence_penalty", BigDecimal.valueOf(-2), BigDecimal.valueOf(2));
    range(body, "repetition_penalty", BigDecimal.ZERO, BigDecimal.valueOf(2));
    JsonNode topK = body.get("top_k");
    if (topK != null && !topK.isNull() && (!topK.isIntegralNumber() || topK.asLong() < 0)) {
      throw ApiException.badRequest("'top_k' must be a whole number of at least 0");
    }
    JsonNode seed = body.get("seed");
    if (seed != null && !seed.isNull() && (!seed.isIntegralNumber() || !seed.canConvertToLong())) {
      throw ApiException.badRequest("'seed' must be a whole number");
    }
    JsonNode stop = body.get("stop");
    if (stop != null && !stop.isNull()) {
      boolean valid =
          stop.isTextual() || (stop.isArray() && stop.size() <= 4 && allTextual((ArrayNode) stop));
      if (!valid) {
        throw ApiException.badRequest("'stop' must be a string or an array of at most 4 strings");
      }
    }
    JsonNode format = body.get("response_format");
    if (format != null && !format.isNull() && !format.path("type").isTextual()) {
      throw ApiException.badRequest("'response_format' must be an object with a 'type'");
    }
    JsonNode user = body.get("user");
    if (user != null && !user.isNull() && (!user.isTextual() || user.asText().length() > 256)) {
      throw ApiException.badRequest("'user' must be a string of at most 256 characters");
    }
  }

  private static boolean allTextual(ArrayNode array) {
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static void range(ObjectNode body, String field, BigDecimal min, BigDecimal max) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isNumber()) {
      throw ApiException.badRequest("'" + field + "' must be a number");
    }
    BigDecimal number = value.decimalValue();
    if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
      throw ApiException.badRequest(
          "'" + field + "' must be between " + min.toPlainString() + " and " + max.toPlainString());
    }
  }

  private static boolean optionalBoolean(ObjectNode body, String field, boolean fallback) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw ApiException.badRequest("'" + field + "' must be true or false");
    }
    return value.booleanValue();
  }

  /**
   * A lone UTF-16 surrogate parses (JSON allows the escape) but can never be encoded to UTF-8 for a
   * provider: refuse it here with a 400 rather than fail later with a 500.
   */
  private static void rejectUnpairedSurrogates(JsonNode node, String where) {
    if (node.isTextual()) {
      String text = node.textValue();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
          if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            i++;
            continue;
          }
          throw ApiException.badRequest(
              "Invalid text" + at(where) + ": an unpaired UTF-16 surrogate");
        }
        if (Character.isLowSurrogate(c)) {
          throw ApiException.badRequest(
              "Invalid text" + at(where) + ": an unpaired UTF-16 surrogate");
        }
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        rejectUnpairedSurrogates(
            field.getValue(), where.isEmpty() ? field.getKey() : where + "." + field.getKey());
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        rejectUnpairedSurrogates(node.get(i), where + "[" + i + "]");
      }
    }
  }

  private static String at(String where) {
    return where.isEmpty() ? "" : " in '" + where + "'";
  }

  /**
   * The prompt's size: an upper bound of its tokens (reservations) and an estimate (billing
   * fallback).
   */
  record PromptSize(long tokenBound, long tokenEstimate) {

    /**
     * Generous per-image allowance: providers charge images by resolution, up to a few thousand
     * tokens.
     */
    static final long IMAGE_TOKEN_BOUND = 3_000;

    static final long IMAGE_TOKEN_ESTIMATE = 800;

    static PromptSize of(ArrayNode messages, JsonNode tools) {
      long bytes = 0;
      long chars = 0;
      long images = 0;
      for (JsonNode message : messages) {
        JsonNode content = message.get("content");
        if (content != null && content.isTextual()) {
          bytes += content.textValue().getBytes(StandardCharsets.UTF_8).length;
          chars += content.textValue().length();
        } else if (content != null && content.isArray()) {
          for (JsonNode part : content) {
            if (part.path("type").asText().equals("image_url")) {
              images++;
            } else {
              String text = part.path("text").asText("");
              bytes += text.getBytes(StandardCharsets.UTF_8).length;
              chars += text.length();
            }
          }
        }
        JsonNode toolCalls = message.get("tool_calls");
        if (toolCalls != null && !toolCalls.isNull()) {
          String json = toolCalls.toString();
          bytes += json.getBytes(StandardCharsets.UTF_8).length;
          chars += json.length();
        }
      }
      if (tools != null && !tools.isNull()) {
        String json = tools.toString();
        bytes += json.getBytes(StandardCharsets.UTF_8).length;
        chars += json.length();
      }
      // a token covers at least one byte of text; messages add a few formatting tokens each
      long bound = bytes + 8L * messages.size() + IMAGE_TOKEN_BOUND * images + 16;
      long estimate = (chars + 3) / 4 + 4L * messages.size() + IMAGE_TOKEN_ESTIMATE * images;
      return new PromptSize(bound, estimate);
    }
  }
}
