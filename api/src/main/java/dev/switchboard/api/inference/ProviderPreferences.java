package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.http.ApiException;
import dev.switchboard.domain.money.Credits;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The request's {@code provider} object (OpenRouter's routing preferences): an explicit order,
 * only/ignore lists, whether to fall back beyond the order, whether every parameter must be
 * supported, the data policy required ({@code data_collection}, {@code zdr}), the quantizations
 * accepted, a sort, a hard price ceiling, soft throughput and latency preferences, and
 * Switchboard's {@code resume}. Every field is checked here; an unknown one is refused with a 400
 * naming it.
 *
 * @param sort how to order endpoints, or null for the default
 * @param maxPrice the most the caller pays per unit, or {@link MaxPrice#NONE}
 * @param preferredMinThroughput output tokens per second an endpoint should reach (its median), or
 *     null
 * @param preferredMaxLatency seconds to the first token an endpoint should stay under (its median),
 *     or null
 * @param resume whether a stream cut mid-answer continues on the next endpoint
 */
public record ProviderPreferences(
    List<String> order,
    List<String> only,
    List<String> ignore,
    boolean allowFallbacks,
    boolean requireParameters,
    boolean denyDataCollection,
    boolean zeroDataRetention,
    List<String> quantizations,
    Sort sort,
    MaxPrice maxPrice,
    Double preferredMinThroughput,
    Double preferredMaxLatency,
    boolean resume) {

  public static final ProviderPreferences DEFAULT =
      new ProviderPreferences(
          List.of(),
          List.of(),
          List.of(),
          true,
          false,
          false,
          false,
          List.of(),
          null,
          MaxPrice.NONE,
          null,
          null,
          false);

  /** The quantizations OpenRouter names; {@code unknown} matches an endpoint that names none. */
  static final Set<String> QUANTIZATIONS =
      Set.of("int4", "int8", "fp4", "fp6", "fp8", "fp16", "bf16", "fp32", "unknown");

  private static final Set<String> FIELDS =
      Set.of(
          "order",
          "only",
          "ignore",
          "allow_fallbacks",
          "require_parameters",
          "data_collection",
          "zdr",
          "quantizations",
          "sort",
          "max_price",
          "preferred_min_throughput",
          "preferred_max_latency",
          "resume");

  private static final int MAX_SLUGS = 50;

  /** What endpoints are ordered by. */
  public enum SortBy {
    PRICE,
    THROUGHPUT,
    LATENCY
  }

  /**
   * A sort, and whether it applies within each model ({@code partition: "model"}, the default: the
   * {@code models} fallbacks stay in their order) or across all of them ({@code "none"}).
   */
  public record Sort(SortBy by, boolean acrossModels) {}

  /**
   * The most the caller pays, in nano-USD: per million prompt and completion tokens, per request
   * and per image; null where no ceiling is set.
   */
  public record MaxPrice(
      Long promptPerMillion, Long completionPerMillion, Long request, Long image) {
    public static final MaxPrice NONE = new MaxPrice(null, null, null, null);

    public boolean isSet() {
      return promptPerMillion != null
          || completionPerMillion != null
          || request != null
          || image != null;
    }
  }

  /** The same preferences sorted by {@code by}, within each model as the sort's partition says. */
  ProviderPreferences sortedBy(SortBy by) {
    return new ProviderPreferences(
        order,
        only,
        ignore,
        allowFallbacks,
        requireParameters,
        denyDataCollection,
        zeroDataRetention,
        quantizations,
        new Sort(by, sort != null && sort.acrossModels()),
        maxPrice,
        preferredMinThroughput,
        preferredMaxLatency,
        resume);
  }

  /** The preferences the {@code provider} field of a request body states (null: none). */
  static ProviderPreferences parse(JsonNode provider) {
    if (provider == null || provider.isNull()) {
      return DEFAULT;
    }
    if (!provider.isObject()) {
      throw ApiException.badRequest("'provider' must be an object");
    }
    for (Iterator<String> names = provider.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw ApiException.badRequest(
            "'provider."
                + shortened(name)
                + "' is not a provider preference; known: "
                + String.join(", ", new TreeSet<>(FIELDS)));
      }
    }
    return new ProviderPreferences(
        slugs(provider, "order"),
        slugs(provider, "only"),
        slugs(provider, "ignore"),
        bool(provider, "allow_fallbacks", true),
        bool(provider, "require_parameters", false),
        dataCollection(provider.get("data_collection")),
        bool(provider, "zdr", false),
        quantizations(provider.get("quantizations")),
        sort(provider.get("sort")),
        maxPrice(provider.get("max_price")),
        percentilePreference(provider, "preferred_min_throughput"),
        percentilePreference(provider, "preferred_max_latency"),
        bool(provider, "resume", false));
  }

  private static List<String> slugs(JsonNode provider, String field) {
    JsonNode list = provider.get(field);
    if (list == null || list.isNull()) {
      return List.of();
    }
    String problem =
        "'provider." + field + "' must be an array of at most " + MAX_SLUGS + " provider slugs";
    if (!list.isArray() || list.size() > MAX_SLUGS) {
      throw ApiException.badRequest(problem);
    }
    List<String> slugs = new ArrayList<>();
    for (JsonNode slug : list) {
      if (!slug.isTextual() || slug.asText().length() > 100) {
        throw ApiException.badRequest(problem);
      }
      slugs.add(slug.asText().toLowerCase(Locale.ROOT));
    }
    return List.copyOf(slugs);
  }

  private static boolean bool(JsonNode provider, String field, boolean fallback) {
    JsonNode value = provider.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw ApiException.badRequest("'provider." + field + "' must be true or false");
    }
    return value.booleanValue();
  }

  private static boolean dataCollection(JsonNode value) {
    if (value == null || value.isNull()) {
      return false;
    }
    if (value.isTextual() && value.asText().equals("allow")) {
      return false;
    }
    if (value.isTextual() && value.asText().equals("deny")) {
      return true;
    }
    throw ApiException.badRequest("'provider.data_collection' must be \"allow\" or \"deny\"");
  }

  private static List<String> quantizations(JsonNode list) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    String problem =
        "'provider.quantizations' must be an array of "
            + String.join(", ", new TreeSet<>(QUANTIZATIONS));
    if (!list.isArray() || list.size() > QUANTIZATIONS.size()) {
      throw ApiException.badRequest(problem);
    }
    List<String> wanted = new ArrayList<>();
    for (JsonNode q : list) {
      if (!q.isTextual() || !QUANTIZATIONS.contains(q.asText().toLowerCase(Locale.ROOT))) {
        throw ApiException.badRequest(problem);
      }
      wanted.add(q.asText().toLowerCase(Locale.ROOT));
    }
    return List.copyOf(wanted);
  }

  private static Sort sort(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    String problem =
        "'provider.sort' must be price, throughput or latency, or"
            + " {\"by\": one of them, \"partition\": \"model\" or \"none\"}";
    JsonNode by = value;
    boolean acrossModels = false;
    if (value.isObject()) {
      for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!name.equals("by") && !name.equals("partition")) {
          throw ApiException.badRequest(problem);
        }
      }
      by = value.get("by");
      JsonNode partition = value.get("partition");
      if (partition != null && !partition.isNull()) {
        if (!partition.isTextual() || !Set.of("model", "none").contains(partition.asText())) {
          throw ApiException.badRequest(problem);
        }
        acrossModels = partition.asText().equals("none");
      }
    }
    if (by == null || !by.isTextual()) {
      throw ApiException.badRequest(problem);
    }
    SortBy sortBy =
        switch (by.asText()) {
          case "price" -> SortBy.PRICE;
          case "throughput" -> SortBy.THROUGHPUT;
          case "latency" -> SortBy.LATENCY;
          default -> throw ApiException.badRequest(problem);
        };
    return new Sort(sortBy, acrossModels);
  }

  private static MaxPrice maxPrice(JsonNode value) {
    if (value == null || value.isNull()) {
      return MaxPrice.NONE;
    }
    if (!value.isObject()) {
      throw ApiException.badRequest(
          "'provider.max_price' must be an object of prompt, completion (USD per million tokens),"
              + " request and image (USD each)");
    }
    for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!Set.of("prompt", "completion", "request", "image").contains(name)) {
        throw ApiException.badRequest(
            "'provider.max_price."
                + shortened(name)
                + "' is not a price; known: completion, image, prompt, request");
      }
    }
    return new MaxPrice(
        usd(value, "prompt"), usd(value, "completion"), usd(value, "request"), usd(value, "image"));
  }

  /** A non-negative USD amount (a number, or a decimal string as the catalog writes prices). */
  private static Long usd(JsonNode maxPrice, String field) {
    JsonNode value = maxPrice.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    String problem =
        "'provider.max_price." + field + "' must be a non-negative amount in USD, such as 1.5";
    BigDecimal amount;
    if (value.isNumber()) {
      amount = value.decimalValue();
    } else if (value.isTextual() && value.asText().length() <= 40) {
      try {
        amount = new BigDecimal(value.asText().trim());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(problem);
      }
    } else {
      throw ApiException.badRequest(problem);
    }
    if (amount.signum() < 0) {
      throw ApiException.badRequest(problem);
    }
    try {
      // finer than a nano-dollar cannot change which endpoint fits: cut, not refused
      return Credits.ofUsd(amount.setScale(9, RoundingMode.DOWN)).nanos();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(problem);
    }
  }

  /**
   * A throughput or latency preference: a number (the median), or an object of percentiles of which
   * Switchboard reads {@code p50}.
   */
  private static Double percentilePreference(JsonNode provider, String field) {
    JsonNode value = provider.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    String problem =
        "'provider." + field + "' must be a non-negative number, or {\"p50\": a number, …}";
    JsonNode median = value;
    if (value.isObject()) {
      for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
        if (!Set.of("p50", "p75", "p90", "p99").contains(names.next())) {
          throw ApiException.badRequest(problem);
        }
      }
      for (JsonNode percentile : value) {
        if (!percentile.isNumber() || percentile.asDouble() < 0) {
          throw ApiException.badRequest(problem);
        }
      }
      median = value.get("p50");
      if (median == null) {
        return null;
      }
    }
    if (!median.isNumber() || median.asDouble() < 0 || !Double.isFinite(median.asDouble())) {
      throw ApiException.badRequest(problem);
    }
    return median.asDouble();
  }

  private static String shortened(String name) {
    return name.length() > 40 ? name.substring(0, 40) + "…" : name;
  }

  /** Whether an endpoint of this quantization (null: not named) is one the caller accepts. */
  boolean acceptsQuantization(String endpointQuantization) {
    return quantizations.isEmpty()
        || quantizations.contains(
            endpointQuantization == null
                ? "unknown"
                : endpointQuantization.toLowerCase(Locale.ROOT));
  }
}
