package dev.switchboard.simulator;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a provider-relative path addresses. {@code model} comes from the path for Gemini and is null
 * otherwise; {@code streamPath} is Gemini's streamGenerateContent, {@code sse} its {@code alt=sse}
 * variant.
 */
record Route(Kind kind, WireFormat format, String model, boolean streamPath, boolean sse) {

  enum Kind {
    COMPLETION,
    MODELS
  }

  private static final Pattern GEMINI =
      Pattern.compile(
          "/(?:v1|v1beta|v1alpha)/models/([^/]+):(generateContent|streamGenerateContent)");

  /**
   * @param rest the decoded path after the provider segment, e.g. {@code /v1/chat/completions}
   * @return null when nothing matches (404)
   */
  static Route match(String method, String rest, String rawQuery, Map<String, String> headers) {
    if ("POST".equals(method)) {
      if ("/v1/chat/completions".equals(rest)) {
        return new Route(Kind.COMPLETION, OpenAiFormat.INSTANCE, null, false, false);
      }
      if ("/v1/messages".equals(rest)) {
        return new Route(Kind.COMPLETION, AnthropicFormat.INSTANCE, null, false, false);
      }
      Matcher m = GEMINI.matcher(rest);
      if (m.matches()) {
        boolean stream = "streamGenerateContent".equals(m.group(2));
        return new Route(
            Kind.COMPLETION,
            GeminiFormat.INSTANCE,
            m.group(1),
            stream,
            stream && hasAltSse(rawQuery));
      }
    } else if ("GET".equals(method)) {
      if ("/v1/models".equals(rest)) {
        // OpenAI, Anthropic and Gemini v1 share this path; the auth style tells which client is
        // asking.
        return new Route(Kind.MODELS, modelsDialect(rawQuery, headers), null, false, false);
      }
      if ("/v1beta/models".equals(rest)) {
        return new Route(Kind.MODELS, GeminiFormat.INSTANCE, null, false, false);
      }
    }
    return null;
  }

  private static WireFormat modelsDialect(String rawQuery, Map<String, String> headers) {
    if (headers.containsKey("x-api-key")) {
      return AnthropicFormat.INSTANCE;
    }
    if (headers.containsKey("x-goog-api-key") || queryParam(rawQuery, "key") != null) {
      return GeminiFormat.INSTANCE;
    }
    return OpenAiFormat.INSTANCE;
  }

  private static boolean hasAltSse(String rawQuery) {
    return "sse".equals(queryParam(rawQuery, "alt"));
  }

  /** The raw (undecoded) value of a query parameter, or null. */
  static String queryParam(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String param : rawQuery.split("&")) {
      int eq = param.indexOf('=');
      String key = eq < 0 ? param : param.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : param.substring(eq + 1);
      }
    }
    return null;
  }
}
