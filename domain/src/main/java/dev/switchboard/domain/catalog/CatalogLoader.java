package dev.switchboard.domain.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.switchboard.domain.money.Pricing;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a catalog file (YAML or JSON, the same shape) and validates all of it before anything is
 * served. Every problem is reported with the file, the entry and the field; a catalog with any
 * problem is refused whole, so no model is ever served at an accidental $0.
 */
public final class CatalogLoader {

  private static final Pattern PROVIDER_SLUG = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern MODEL_ID =
      Pattern.compile("[a-z0-9][a-z0-9._-]*/[a-z0-9][a-z0-9._:-]*");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> PROVIDER_FIELDS =
      Set.of("slug", "name", "api", "base_url", "api_key_env", "data_policy");
  private static final Set<String> DATA_POLICY_FIELDS = Set.of("training", "retains_prompts");
  private static final Set<String> MODEL_FIELDS =
      Set.of("id", "name", "description", "context_length", "endpoints", "input_modalities");
  private static final Set<String> MODALITIES = Set.of("text", "image", "file", "audio");
  private static final Set<String> ENDPOINT_FIELDS =
      Set.of(
          "provider",
          "upstream_model",
          "pricing",
          "max_completion_tokens",
          "quantization",
          "supported_parameters");
  private static final Set<String> PRICING_FIELDS =
      Set.of(
          "prompt",
          "completion",
          "request",
          "input_cache_read",
          "input_cache_write",
          "internal_reasoning",
          "image",
          "web_search");

  private CatalogLoader() {}

  public static Catalog load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CatalogException(file.toString(), List.of("cannot be read: " + e.getMessage()));
    }
    return parse(file.toString(), text);
  }

  /** Parses catalog text; {@code source} names it in error messages. */
  public static Catalog parse(String source, String text) {
    JsonNode root;
    try {
      ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
      mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      root = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new CatalogException(
          source, List.of("is not valid YAML or JSON: " + e.getOriginalMessage()));
    }
    return new Validation(source).catalog(root);
  }

  /** One validation pass, collecting every problem before refusing. */
  private static final class Validation {
    private final String source;
    private final List<String> problems = new ArrayList<>();

    Validation(String source) {
      this.source = source;
    }

    Catalog catalog(JsonNode root) {
      if (root == null || !root.isObject()) {
        throw new CatalogException(
            source, List.of("must be a mapping with 'providers' and 'models'"));
      }
      unknownFields(root, Set.of("providers", "models"), "top level");
      List<CatalogProvider> providers = providers(root.get("providers"));
      Set<String> slugs = new HashSet<>();
      providers.forEach(p -> slugs.add(p.slug()));
      List<CatalogModel> models = models(root.get("models"), slugs);
      if (!problems.isEmpty()) {
        throw new CatalogException(source, problems);
      }
      return new Catalog(providers, models);
    }

    private List<CatalogProvider> providers(JsonNode list) {
      List<CatalogProvider> providers = new ArrayList<>();
      if (list == null || !list.isArray() || list.isEmpty()) {
        problems.add("'providers' must be a non-empty list");
        return providers;
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode node = list.get(i);
        String slug = node.path("slug").asText("");
        String where = "providers[" + i + "]" + (slug.isEmpty() ? "" : " (" + slug + ")");
        if (!node.isObject()) {
          problems.add(where + ": must be a mapping");
          continue;
        }
        int before = problems.size();
        unknownFields(node, PROVIDER_FIELDS, where);
        if (!PROVIDER_SLUG.matcher(slug).matches()) {
          problems.add(
              where
                  + ".slug: must be lower-case letters, digits, '.', '_' or '-', got '"
                  + slug
                  + "'");
        } else if (!seen.add(slug)) {
          problems.add(where + ".slug: duplicate provider '" + slug + "'");
        }
        String name = requiredText(node, "name", where);
        String apiText = requiredText(node, "api", where);
        ProviderApi api = ProviderApi.parse(apiText).orElse(null);
        if (api == null && apiText != null) {
          problems.add(
              where + ".api: unknown wire format '" + apiText + "' (openai, anthropic or gemini)");
        }
        URI baseUrl = baseUrl(node, where);
        String keyEnv = requiredText(node, "api_key_env", where);
        if (keyEnv != null && !ENV_NAME.matcher(keyEnv).matches()) {
          problems.add(where + ".api_key_env: not an environment variable name: '" + keyEnv + "'");
        }
        DataPolicy policy = dataPolicy(node.get("data_policy"), where);
        if (problems.size() == before) {
          providers.add(new CatalogProvider(slug, name, api, baseUrl, keyEnv, policy));
        }
      }
      return providers;
    }

    private URI baseUrl(JsonNode node, String where) {
      String text = requiredText(node, "base_url", where);
      if (text == null) {
        return null;
      }
      try {
        URI uri = new URI(text);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            || uri.getHost() == null) {
          problems.add(where + ".base_url: must be an http or https URL, got '" + text + "'");
          return null;
        }
        return uri;
      } catch (URISyntaxException e) {
        problems.add(where + ".base_url: not a URL: '" + text + "'");
        return null;
      }
    }

    private DataPolicy dataPolicy(JsonNode node, String where) {
      if (node == null) {
        // unknown policy: assume the worst, so "deny data collection" routing never picks it by
        // mistake
        return new DataPolicy(true, true);
      }
      if (!node.isObject()) {
        problems.add(where + ".data_policy: must be a mapping {training, retains_prompts}");
        return null;
      }
      unknownFields(node, DATA_POLICY_FIELDS, where + ".data_policy");
      return new DataPolicy(
          requiredBoolean(node, "training", where + ".data_policy"),
          requiredBoolean(node, "retains_prompts", where + ".data_policy"));
    }

    private List<CatalogModel> models(JsonNode list, Set<String> providerSlugs) {
      List<CatalogModel> models = new ArrayList<>();
      if (list == null || !list.isArray() || list.isEmpty()) {
        problems.add("'models' must be a non-empty list");
        return models;
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode node = list.get(i);
        String id = node.path("id").asText("");
        String where = "models[" + i + "]" + (id.isEmpty() ? "" : " (" + id + ")");
        if (!node.isObject()) {
          problems.add(where + ": must be a mapping");
          continue;
        }
        int before = problems.size();
        unknownFields(node, MODEL_FIELDS, where);
        if (!MODEL_ID.matcher(id).matches()) {
          problems.add(where + ".id: must be 'author/slug' in lower case, got '" + id + "'");
        } else if (Catalog.isFreeVariant(id)) {
          problems.add(
              where
                  + ".id: '"
                  + id
                  + "' ends with "
                  + Catalog.FREE_SUFFIX
                  + ", which names a model's endpoints priced at zero; give them a zero price instead");
        } else if (!seen.add(id)) {
          problems.add(where + ".id: duplicate model '" + id + "'");
        }
        String name = requiredText(node, "name", where);
        String description = node.path("description").asText("");
        int contextLength = positiveInt(node, "context_length", where, true);
        List<CatalogEndpoint> endpoints =
            endpoints(node.get("endpoints"), id, where, providerSlugs);
        List<String> modalities = modalities(node.get("input_modalities"), where);
        if (problems.size() == before) {
          models.add(new CatalogModel(id, name, description, contextLength, endpoints, modalities));
        }
      }
      return models;
    }

    private List<CatalogEndpoint> endpoints(
        JsonNode list, String modelId, String modelWhere, Set<String> providerSlugs) {
      List<CatalogEndpoint> endpoints = new ArrayList<>();
      if (list == null || !list.isArray() || list.isEmpty()) {
        problems.add(modelWhere + ".endpoints: must be a non-empty list");
        return endpoints;
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode node = list.get(i);
        String where = modelWhere + ".endpoints[" + i + "]";
        if (!node.isObject()) {
          problems.add(where + ": must be a mapping");
          continue;
        }
        unknownFields(node, ENDPOINT_FIELDS, where);
        String provider = requiredText(node, "provider", where);
        if (provider != null && !providerSlugs.contains(provider)) {
          problems.add(where + ".provider: unknown provider '" + provider + "'");
        } else if (provider != null && !seen.add(provider)) {
          problems.add(where + ".provider: '" + provider + "' already serves this model");
        }
        String upstream = requiredText(node, "upstream_model", where);
        Pricing pricing = pricing(node.get("pricing"), where + ".pricing");
        int maxCompletion = positiveInt(node, "max_completion_tokens", where, false);
        String quantization =
            node.hasNonNull("quantization") ? node.get("quantization").asText() : null;
        List<String> parameters = new ArrayList<>();
        JsonNode supported = node.get("supported_parameters");
        if (supported != null) {
          if (!supported.isArray()) {
            problems.add(where + ".supported_parameters: must be a list of parameter names");
          } else {
            supported.forEach(p -> parameters.add(p.asText()));
          }
        }
        endpoints.add(
            new CatalogEndpoint(
                modelId,
                provider,
                upstream,
                pricing,
                maxCompletion > 0 ? maxCompletion : null,
                quantization,
                parameters));
      }
      return endpoints;
    }

    private List<String> modalities(JsonNode node, String where) {
      if (node == null || node.isNull()) {
        return CatalogModel.TEXT_ONLY;
      }
      List<String> modalities = new ArrayList<>();
      if (node.isArray()) {
        node.forEach(m -> modalities.add(m.asText("")));
      }
      if (!node.isArray() || !MODALITIES.containsAll(modalities) || !modalities.contains("text")) {
        problems.add(
            where
                + ".input_modalities: must be a list of text, image, file and audio that names"
                + " text");
        return CatalogModel.TEXT_ONLY;
      }
      return List.copyOf(new java.util.LinkedHashSet<>(modalities));
    }

    private Pricing pricing(JsonNode node, String where) {
      if (node == null || !node.isObject()) {
        problems.add(where + ": missing; a model is never served without a price");
        return null;
      }
      unknownFields(node, PRICING_FIELDS, where);
      Long prompt = perMillion(node, "prompt", where, true);
      Long completion = perMillion(node, "completion", where, true);
      Long request = perUnit(node, "request", where);
      Long cacheRead = perMillion(node, "input_cache_read", where, false);
      Long cacheWrite = perMillion(node, "input_cache_write", where, false);
      Long reasoning = perMillion(node, "internal_reasoning", where, false);
      Long image = perUnit(node, "image", where);
      Long webSearch = perUnit(node, "web_search", where);
      if (prompt == null || completion == null) {
        return null;
      }
      return new Pricing(
          prompt,
          completion,
          request == null ? 0 : request,
          cacheRead,
          cacheWrite,
          reasoning,
          image,
          webSearch);
    }

    private Long perMillion(JsonNode node, String field, String where, boolean required) {
      String text = priceText(node, field, where, required);
      if (text == null) {
        return null;
      }
      try {
        return Pricing.perMillionFromUsdPerToken(text);
      } catch (IllegalArgumentException e) {
        problems.add(where + "." + field + ": " + priceProblem(text, e));
        return null;
      }
    }

    private Long perUnit(JsonNode node, String field, String where) {
      String text = priceText(node, field, where, false);
      if (text == null) {
        return null;
      }
      try {
        return Pricing.perUnitFromUsd(text);
      } catch (IllegalArgumentException e) {
        problems.add(where + "." + field + ": " + priceProblem(text, e));
        return null;
      }
    }

    private String priceText(JsonNode node, String field, String where, boolean required) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        if (required) {
          problems.add(where + "." + field + ": missing price (USD per token as a decimal string)");
        }
        return null;
      }
      if (!value.isTextual() && !value.isNumber()) {
        problems.add(where + "." + field + ": must be a decimal string such as \"0.000001\"");
        return null;
      }
      return value.asText();
    }

    private String priceProblem(String text, IllegalArgumentException e) {
      if (e instanceof NumberFormatException) {
        return "not a decimal number: '" + text + "'";
      }
      if (text.trim().startsWith("-")) {
        return "negative price " + text.trim();
      }
      return e.getMessage();
    }

    private String requiredText(JsonNode node, String field, String where) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank()) {
        problems.add(where + "." + field + ": missing");
        return null;
      }
      return value.asText().trim();
    }

    private boolean requiredBoolean(JsonNode node, String field, String where) {
      JsonNode value = node.get(field);
      if (value == null || !value.isBoolean()) {
        problems.add(where + "." + field + ": must be true or false");
        return true;
      }
      return value.booleanValue();
    }

    private int positiveInt(JsonNode node, String field, String where, boolean required) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        if (required) {
          problems.add(where + "." + field + ": missing");
        }
        return 0;
      }
      if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() <= 0) {
        problems.add(
            where
                + "."
                + field
                + ": must be a positive whole number, got '"
                + value.asText()
                + "'");
        return 0;
      }
      return value.intValue();
    }

    private void unknownFields(JsonNode node, Set<String> known, String where) {
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!known.contains(name)) {
          problems.add(where + ": unknown field '" + name + "'");
        }
      }
    }
  }
}
