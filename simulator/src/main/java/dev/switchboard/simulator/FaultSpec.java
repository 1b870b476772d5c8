package dev.switchboard.simulator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Faults and overrides to apply to simulated responses. Every field is nullable: null means "not
 * set", which lets a per-request header override a per-provider setting field by field (see {@link
 * #overriddenBy}).
 *
 * <p>Header names (also accepted as JSON keys by the admin endpoint, alongside the camelCase
 * component names):
 *
 * <pre>
 * status             x-sim-status              reply with this HTTP status instead of a completion
 * body               x-sim-body                raw body for the status reply (default: native error JSON)
 * retryAfterSeconds  x-sim-retry-after         Retry-After header value
 * delayMs            x-sim-delay-ms            delay before response headers
 * ttftMs             x-sim-ttft-ms             delay before the first content chunk / the non-streamed body
 * chunkDelayMs       x-sim-chunk-delay-ms      delay between content chunks
 * cutAfter           x-sim-cut-after           close the connection after N content chunks
 * stallAfter         x-sim-stall-after         stop writing after N content chunks, keep the connection open
 * malformedAfter     x-sim-malformed-after     send one non-JSON data event after N content chunks
 * errorAfter         x-sim-error-after         send the in-band error event after N content chunks and end
 * endAfter           x-sim-end-after           end the response cleanly after N content chunks, without the tail
 * noUsage            x-sim-no-usage            omit usage everywhere
 * noDone             x-sim-no-done             end a stream without its end marker (below)
 * reset              x-sim-reset               drop the connection without any response
 * completionTokens   x-sim-completion-tokens   completion length before caps/stop sequences
 * promptTokens       x-sim-prompt-tokens       prompt tokens reported in usage instead of the counted ones
 * failNextRequests   x-sim-fail-next-requests  provider config only: the status fault applies to the next N requests
 * failEvery          x-sim-fail-every          provider config only: the status fault applies to every Nth request
 * stallEvery         x-sim-stall-every         provider config only: the stall applies to every Nth answered request
 * </pre>
 *
 * <p>{@code endAfter} finishes the HTTP response properly (the chunked body is terminated), unlike
 * {@code cutAfter}, which leaves it unterminated: the stream simply stops, with neither a finish
 * reason, usage nor an end marker, as when a proxy closes an upstream stream politely.
 *
 * <p>{@code noDone} sends the whole answer, its finish reason and its usage, and leaves out only
 * the event that tells a client the stream is over: OpenAI's {@code data: [DONE]} and Anthropic's
 * {@code message_stop} (its {@code message_delta} still carries the stop reason and the usage).
 * Gemini streams have no end marker (the chunk with {@code finishReason} is the last), so it
 * changes nothing there.
 *
 * <p>{@code failEvery} counts the provider's requests from the moment the config is set: with N = 2
 * the 2nd, 4th, 6th… get the status fault (503 if {@code status} is unset) and the others answer, a
 * provider that flaps. It cannot be combined with {@code failNextRequests}.
 *
 * <p>{@code stallEvery} counts the provider's answered requests (those not given a status fault)
 * from the moment the config is set: with N = 100 the 100th, 200th… answer stalls after {@code
 * stallAfter} content chunks (0 when unset: before the first content) and the others do not stall,
 * a provider that hangs now and then. As {@code stallAfter}, it stalls streams only: a picked
 * request that is not streamed is answered whole.
 */
public record FaultSpec(
    Integer status,
    String body,
    Integer retryAfterSeconds,
    Integer delayMs,
    Integer ttftMs,
    Integer chunkDelayMs,
    Integer cutAfter,
    Integer stallAfter,
    Integer malformedAfter,
    Integer errorAfter,
    Integer endAfter,
    Boolean noUsage,
    Boolean noDone,
    Boolean reset,
    Integer completionTokens,
    Integer promptTokens,
    Integer failNextRequests,
    Integer failEvery,
    Integer stallEvery) {

  /** No faults at all. */
  public static final FaultSpec NONE = builder().build();

  /** camelCase field name to header name, in declaration order. */
  public static final Map<String, String> HEADER_BY_FIELD = headerTable();

  public FaultSpec {
    if (status != null && (status < 100 || status > 599)) {
      throw new IllegalArgumentException("status must be between 100 and 599, got " + status);
    }
    requireNonNegative("retryAfterSeconds", retryAfterSeconds);
    requireNonNegative("delayMs", delayMs);
    requireNonNegative("ttftMs", ttftMs);
    requireNonNegative("chunkDelayMs", chunkDelayMs);
    requireNonNegative("cutAfter", cutAfter);
    requireNonNegative("stallAfter", stallAfter);
    requireNonNegative("malformedAfter", malformedAfter);
    requireNonNegative("errorAfter", errorAfter);
    requireNonNegative("endAfter", endAfter);
    requireNonNegative("completionTokens", completionTokens);
    requireNonNegative("promptTokens", promptTokens);
    requireNonNegative("failNextRequests", failNextRequests);
    if (failEvery != null && failEvery < 1) {
      throw new IllegalArgumentException("failEvery must be at least 1, got " + failEvery);
    }
    if (stallEvery != null && stallEvery < 1) {
      throw new IllegalArgumentException("stallEvery must be at least 1, got " + stallEvery);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Reads the {@code x-sim-*} headers (names matched case-insensitively, other headers ignored).
   *
   * @throws IllegalArgumentException when a value is not a valid number/boolean or out of range
   */
  public static FaultSpec fromHeaders(Map<String, String> headers) {
    Map<String, String> byField = new LinkedHashMap<>();
    Map<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    caseless.putAll(headers);
    HEADER_BY_FIELD.forEach(
        (field, header) -> {
          String value = caseless.get(header);
          if (value != null) {
            byField.put(field, value);
          }
        });
    return fromFields(byField);
  }

  /**
   * Reads string values keyed by camelCase field name or header name (what the admin endpoint's
   * JSON carries).
   *
   * @throws IllegalArgumentException for unknown keys or invalid values
   */
  public static FaultSpec fromFields(Map<String, String> values) {
    Builder b = builder();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      String field = fieldNameFor(entry.getKey());
      String v = entry.getValue() == null ? null : entry.getValue().trim();
      if (v == null || v.isEmpty()) {
        continue;
      }
      switch (field) {
        case "status":
          b.status(parseInt(field, v));
          break;
        case "body":
          b.body(entry.getValue());
          break;
        case "retryAfterSeconds":
          b.retryAfterSeconds(parseInt(field, v));
          break;
        case "delayMs":
          b.delayMs(parseInt(field, v));
          break;
        case "ttftMs":
          b.ttftMs(parseInt(field, v));
          break;
        case "chunkDelayMs":
          b.chunkDelayMs(parseInt(field, v));
          break;
        case "cutAfter":
          b.cutAfter(parseInt(field, v));
          break;
        case "stallAfter":
          b.stallAfter(parseInt(field, v));
          break;
        case "malformedAfter":
          b.malformedAfter(parseInt(field, v));
          break;
        case "errorAfter":
          b.errorAfter(parseInt(field, v));
          break;
        case "endAfter":
          b.endAfter(parseInt(field, v));
          break;
        case "noUsage":
          b.noUsage(parseBoolean(field, v));
          break;
        case "noDone":
          b.noDone(parseBoolean(field, v));
          break;
        case "reset":
          b.reset(parseBoolean(field, v));
          break;
        case "completionTokens":
          b.completionTokens(parseInt(field, v));
          break;
        case "promptTokens":
          b.promptTokens(parseInt(field, v));
          break;
        case "failNextRequests":
          b.failNextRequests(parseInt(field, v));
          break;
        case "failEvery":
          b.failEvery(parseInt(field, v));
          break;
        case "stallEvery":
          b.stallEvery(parseInt(field, v));
          break;
        default:
          throw new IllegalStateException(field);
      }
    }
    return b.build();
  }

  /** Fields set in {@code override} win; unset ones fall back to this spec. */
  public FaultSpec overriddenBy(FaultSpec override) {
    if (override == null || override.equals(NONE)) {
      return this;
    }
    return new FaultSpec(
        pick(override.status, status),
        pick(override.body, body),
        pick(override.retryAfterSeconds, retryAfterSeconds),
        pick(override.delayMs, delayMs),
        pick(override.ttftMs, ttftMs),
        pick(override.chunkDelayMs, chunkDelayMs),
        pick(override.cutAfter, cutAfter),
        pick(override.stallAfter, stallAfter),
        pick(override.malformedAfter, malformedAfter),
        pick(override.errorAfter, errorAfter),
        pick(override.endAfter, endAfter),
        pick(override.noUsage, noUsage),
        pick(override.noDone, noDone),
        pick(override.reset, reset),
        pick(override.completionTokens, completionTokens),
        pick(override.promptTokens, promptTokens),
        pick(override.failNextRequests, failNextRequests),
        pick(override.failEvery, failEvery),
        pick(override.stallEvery, stallEvery));
  }

  /**
   * The set fields keyed by camelCase name, in declaration order (used to render the spec as JSON).
   */
  public Map<String, Object> asMap() {
    Object[] values = {
      status,
      body,
      retryAfterSeconds,
      delayMs,
      ttftMs,
      chunkDelayMs,
      cutAfter,
      stallAfter,
      malformedAfter,
      errorAfter,
      endAfter,
      noUsage,
      noDone,
      reset,
      completionTokens,
      promptTokens,
      failNextRequests,
      failEvery,
      stallEvery
    };
    Map<String, Object> map = new LinkedHashMap<>();
    int i = 0;
    for (String field : HEADER_BY_FIELD.keySet()) {
      if (values[i] != null) {
        map.put(field, values[i]);
      }
      i++;
    }
    return map;
  }

  boolean isNoUsage() {
    return Boolean.TRUE.equals(noUsage);
  }

  boolean isNoDone() {
    return Boolean.TRUE.equals(noDone);
  }

  boolean isReset() {
    return Boolean.TRUE.equals(reset);
  }

  private static Map<String, String> headerTable() {
    Map<String, String> table = new LinkedHashMap<>();
    table.put("status", "x-sim-status");
    table.put("body", "x-sim-body");
    table.put("retryAfterSeconds", "x-sim-retry-after");
    table.put("delayMs", "x-sim-delay-ms");
    table.put("ttftMs", "x-sim-ttft-ms");
    table.put("chunkDelayMs", "x-sim-chunk-delay-ms");
    table.put("cutAfter", "x-sim-cut-after");
    table.put("stallAfter", "x-sim-stall-after");
    table.put("malformedAfter", "x-sim-malformed-after");
    table.put("errorAfter", "x-sim-error-after");
    table.put("endAfter", "x-sim-end-after");
    table.put("noUsage", "x-sim-no-usage");
    table.put("noDone", "x-sim-no-done");
    table.put("reset", "x-sim-reset");
    table.put("completionTokens", "x-sim-completion-tokens");
    table.put("promptTokens", "x-sim-prompt-tokens");
    table.put("failNextRequests", "x-sim-fail-next-requests");
    table.put("failEvery", "x-sim-fail-every");
    table.put("stallEvery", "x-sim-stall-every");
    return Collections.unmodifiableMap(table);
  }

  private static String fieldNameFor(String key) {
    if (HEADER_BY_FIELD.containsKey(key)) {
      return key;
    }
    String lower = key.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, String> e : HEADER_BY_FIELD.entrySet()) {
      if (e.getValue().equals(lower)) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException("unknown fault field: " + key);
  }

  private static <T> T pick(T preferred, T fallback) {
    return preferred != null ? preferred : fallback;
  }

  private static int parseInt(String field, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " must be an integer, got '" + value + "'");
    }
  }

  private static boolean parseBoolean(String field, String value) {
    if ("true".equalsIgnoreCase(value) || "1".equals(value)) {
      return true;
    }
    if ("false".equalsIgnoreCase(value) || "0".equals(value)) {
      return false;
    }
    throw new IllegalArgumentException(field + " must be true or false, got '" + value + "'");
  }

  private static void requireNonNegative(String field, Number value) {
    if (value != null && value.longValue() < 0) {
      throw new IllegalArgumentException(field + " must not be negative, got " + value);
    }
  }

  /**
   * Fluent construction, e.g. {@code FaultSpec.builder().status(503).retryAfterSeconds(2).build()}.
   */
  public static final class Builder {
    private Integer status;
    private String body;
    private Integer retryAfterSeconds;
    private Integer delayMs;
    private Integer ttftMs;
    private Integer chunkDelayMs;
    private Integer cutAfter;
    private Integer stallAfter;
    private Integer malformedAfter;
    private Integer errorAfter;
    private Integer endAfter;
    private Boolean noUsage;
    private Boolean noDone;
    private Boolean reset;
    private Integer completionTokens;
    private Integer promptTokens;
    private Integer failNextRequests;
    private Integer failEvery;
    private Integer stallEvery;

    private Builder() {}

    private Builder(FaultSpec s) {
      status = s.status;
      body = s.body;
      retryAfterSeconds = s.retryAfterSeconds;
      delayMs = s.delayMs;
      ttftMs = s.ttftMs;
      chunkDelayMs = s.chunkDelayMs;
      cutAfter = s.cutAfter;
      stallAfter = s.stallAfter;
      malformedAfter = s.malformedAfter;
      errorAfter = s.errorAfter;
      endAfter = s.endAfter;
      noUsage = s.noUsage;
      noDone = s.noDone;
      reset = s.reset;
      completionTokens = s.completionTokens;
      promptTokens = s.promptTokens;
      failNextRequests = s.failNextRequests;
      failEvery = s.failEvery;
      stallEvery = s.stallEvery;
    }

    public Builder status(Integer v) {
      status = v;
      return this;
    }

    public Builder body(String v) {
      body = v;
      return this;
    }

    public Builder retryAfterSeconds(Integer v) {
      retryAfterSeconds = v;
      return this;
    }

    public Builder delayMs(Integer v) {
      delayMs = v;
      return this;
    }

    public Builder ttftMs(Integer v) {
      ttftMs = v;
      return this;
    }

    public Builder chunkDelayMs(Integer v) {
      chunkDelayMs = v;
      return this;
    }

    public Builder cutAfter(Integer v) {
      cutAfter = v;
      return this;
    }

    public Builder stallAfter(Integer v) {
      stallAfter = v;
      return this;
    }

    public Builder malformedAfter(Integer v) {
      malformedAfter = v;
      return this;
    }

    public Builder errorAfter(Integer v) {
      errorAfter = v;
      return this;
    }

    public Builder endAfter(Integer v) {
      endAfter = v;
      return this;
    }

    public Builder noUsage(Boolean v) {
      noUsage = v;
      return this;
    }

    public Builder noDone(Boolean v) {
      noDone = v;
      return this;
    }

    public Builder reset(Boolean v) {
      reset = v;
      return this;
    }

    public Builder completionTokens(Integer v) {
      completionTokens = v;
      return this;
    }

    public Builder promptTokens(Integer v) {
      promptTokens = v;
      return this;
    }

    public Builder failNextRequests(Integer v) {
      failNextRequests = v;
      return this;
    }

    public Builder failEvery(Integer v) {
      failEvery = v;
      return this;
    }

    public Builder stallEvery(Integer v) {
      stallEvery = v;
      return this;
    }

    public FaultSpec build() {
      return new FaultSpec(
          status,
          body,
          retryAfterSeconds,
          delayMs,
          ttftMs,
          chunkDelayMs,
          cutAfter,
          stallAfter,
          malformedAfter,
          errorAfter,
          endAfter,
          noUsage,
          noDone,
          reset,
          completionTokens,
          promptTokens,
          failNextRequests,
          failEvery,
          stallEvery);
    }
  }
}
