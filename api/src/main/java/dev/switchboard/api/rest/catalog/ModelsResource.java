package dev.switchboard.api.rest.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.api.catalog.CatalogService;
import dev.switchboard.api.catalog.LoadedCatalog;
import dev.switchboard.api.catalog.ProviderAvailability;
import dev.switchboard.api.http.ApiException;
import dev.switchboard.domain.catalog.CatalogEndpoint;
import dev.switchboard.domain.catalog.CatalogModel;
import dev.switchboard.domain.catalog.CatalogProvider;
import dev.switchboard.domain.money.Pricing;
import dev.switchboard.domain.routing.health.EndpointHealth;
import dev.switchboard.domain.routing.health.EndpointHealthReport;
import dev.switchboard.domain.routing.health.EndpointId;
import dev.switchboard.domain.routing.health.Percentiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The public catalog of models: {@code /models} and {@code /models/{author}/{slug}/endpoints}. */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class ModelsResource {

  /**
   * A model as OpenRouter lists it; prices are its cheapest endpoint's, USD per token as strings.
   */
  public record ModelView(
      String id,
      String canonicalSlug,
      String name,
      String description,
      int contextLength,
      ArchitectureView architecture,
      Map<String, String> pricing,
      TopProviderView topProvider,
      List<String> supportedParameters) {}

  /** What a model takes and gives: its catalog's input modalities, and text out. */
  public record ArchitectureView(List<String> inputModalities, List<String> outputModalities) {}

  /** The limits of the model's first listed endpoint. */
  public record TopProviderView(
      int contextLength, Integer maxCompletionTokens, boolean isModerated) {}

  /**
   * One endpoint of a model. Its health is measured on this instance from live traffic: uptime is
   * the percentage of attempts that did not fail for the endpoint's own reasons (null without
   * traffic in the window); latency is the time to the first token in seconds and throughput the
   * output tokens a second, as percentiles of the last 30 minutes' successes (throughput's p90 is
   * the speed 90% of answers reached, as OpenRouter reports it); {@code circuit_state} is the
   * endpoint's breaker: {@code closed}, {@code half_open} or {@code open}.
   */
  public record EndpointView(
      String name,
      String providerName,
      String providerSlug,
      String upstreamModel,
      int contextLength,
      Map<String, String> pricing,
      Integer maxCompletionTokens,
      String quantization,
      List<String> supportedParameters,
      int status,
      String statusReason,
      @JsonProperty("uptime_last_5m") Double uptimeLast5m,
      @JsonProperty("uptime_last_30m") Double uptimeLast30m,
      @JsonProperty("uptime_last_1d") Double uptimeLast1d,
      @JsonProperty("latency_last_30m") Percentiles latencyLast30m,
      @JsonProperty("throughput_last_30m") Percentiles throughputLast30m,
      String circuitState) {}

  /** A model with all its endpoints. */
  public record ModelEndpointsView(
      String id, String name, String description, List<EndpointView> endpoints) {}

  @Inject CatalogService catalogs;
  @Inject EndpointHealth health;

  @GET
  public Map<String, List<ModelView>> models() {
    LoadedCatalog loaded = catalogs.current();
    return Map.of("data", loaded.catalog().models().stream().map(m -> model(m)).toList());
  }

  @GET
  @Path("/{author}/{slug}/endpoints")
  public Map<String, ModelEndpointsView> endpoints(
      @PathParam("author") String author, @PathParam("slug") String slug) {
    LoadedCatalog loaded = catalogs.current();
    CatalogModel model =
        loaded
            .catalog()
            .model(author + "/" + slug)
            .orElseThrow(() -> ApiException.notFound("No model " + author + "/" + slug));
    List<EndpointView> endpoints =
        model.endpoints().stream()
            .map(
                e -> {
                  CatalogProvider provider =
                      loaded.catalog().provider(e.providerSlug()).orElseThrow();
                  ProviderAvailability availability = loaded.availability(provider);
                  EndpointHealthReport report = health.report(EndpointId.of(e));
                  return new EndpointView(
                      provider.name() + " | " + model.id(),
                      provider.name(),
                      provider.slug(),
                      e.upstreamModel(),
                      model.contextLength(),
                      pricing(e.pricing()),
                      e.maxCompletionTokens(),
                      e.quantization(),
                      e.supportedParameters(),
                      availability.available() ? 0 : -1,
                      availability.reason(),
                      rounded(report.uptimeLast5m()),
                      rounded(report.uptimeLast30m()),
                      rounded(report.uptimeLast1d()),
                      seconds(report.firstTokenMillisLast30m()),
                      tokensPerSecond(report.throughputLast30m()),
                      report.breaker().wireName());
                })
            .toList();
    return Map.of(
        "data", new ModelEndpointsView(model.id(), model.name(), model.description(), endpoints));
  }

  private static Double rounded(Double percent) {
    return percent == null ? null : Math.round(percent * 100) / 100.0;
  }

  private static Percentiles seconds(Percentiles millis) {
    return millis == null
        ? null
        : new Percentiles(
            Math.round(millis.p50()) / 1000.0,
            Math.round(millis.p75()) / 1000.0,
            Math.round(millis.p90()) / 1000.0,
            Math.round(millis.p99()) / 1000.0);
  }

  private static Percentiles tokensPerSecond(Percentiles throughput) {
    return throughput == null
        ? null
        : new Percentiles(
            Math.round(throughput.p50() * 10) / 10.0,
            Math.round(throughput.p75() * 10) / 10.0,
            Math.round(throughput.p90() * 10) / 10.0,
            Math.round(throughput.p99() * 10) / 10.0);
  }

  private static ModelView model(CatalogModel model) {
    CatalogEndpoint cheapest =
        model.endpoints().stream()
            .min(
                Comparator.comparingLong(
                    (CatalogEndpoint e) ->
                        e.pricing().promptPerMillion() + e.pricing().completionPerMillion()))
            .orElseThrow();
    CatalogEndpoint top = model.endpoints().get(0);
    return new ModelView(
        model.id(),
        model.id(),
        model.name(),
        model.description(),
        model.contextLength(),
        new ArchitectureView(model.inputModalities(), List.of("text")),
        pricing(cheapest.pricing()),
        new TopProviderView(model.contextLength(), top.maxCompletionTokens(), false),
        model.endpoints().stream()
            .flatMap(e -> e.supportedParameters().stream())
            .distinct()
            .toList());
  }

  static Map<String, String> pricing(Pricing p) {
    Map<String, String> pricing = new LinkedHashMap<>();
    pricing.put("prompt", Pricing.usdPerToken(p.promptPerMillion()));
    pricing.put("completion", Pricing.usdPerToken(p.completionPerMillion()));
    pricing.put("request", Pricing.usd(p.perRequest()));
    pricing.put("image", p.perImage() == null ? "0" : Pricing.usd(p.perImage()));
    pricing.put("web_search", p.perWebSearch() == null ? "0" : Pricing.usd(p.perWebSearch()));
    pricing.put(
        "internal_reasoning",
        p.reasoningPerMillion() == null ? "0" : Pricing.usdPerToken(p.reasoningPerMillion()));
    if (p.cacheReadPerMillion() != null) {
      pricing.put("input_cache_read", Pricing.usdPerToken(p.cacheReadPerMillion()));
    }
    if (p.cacheWritePerMillion() != null) {
      pricing.put("input_cache_write", Pricing.usdPerToken(p.cacheWritePerMillion()));
    }
    return pricing;
  }
}
