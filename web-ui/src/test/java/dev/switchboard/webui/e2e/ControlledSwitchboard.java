package dev.switchboard.webui.e2e;

import dev.switchboard.simulator.FaultSpec;
import dev.switchboard.simulator.ProviderSimulator;
import dev.switchboard.simulator.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The built jar with a catalog of the test's own: its providers are a simulator running in the test
 * JVM, so a test can inject faults per provider and see exactly what was (or was not) sent
 * upstream.
 *
 * <p>Providers: {@code alpha} and {@code beta} (OpenAI format; alpha is cheaper, so tried first:
 * the instance puts the cheapest first rather than spreading load by price), {@code gamma}
 * (Anthropic), {@code delta} (Gemini) and {@code keyless}, whose key variable is not set. {@code
 * test/flat} costs exactly $0.001 a request whatever its tokens, so its worst case is its cost.
 * {@code test/health} is called by the health test alone, so the figures measured for its endpoint
 * are that test's; {@code test/breaker} (alpha, then beta) by the breaker's routing test alone,
 * {@code test/sticky} (alike) by the sticky routing test alone, {@code test/flapping} (alike) by
 * the flapping provider's test alone, {@code test/unsteady} (alike) by the reset and 429 failover
 * tests alone, {@code test/down} (alpha, beta, gamma, at $100 to $120 per million completion
 * tokens, so a long answer's worst case is most of a dollar) by the all-providers-down test alone,
 * and {@code test/speed} (alpha, beta, gamma, dearer in that order) by the sort test alone, whose
 * measured latency and throughput must be the ones it made. Endpoint health is the instance's and
 * is not reset between tests: an endpoint's breaker opens after five failures in a row and then
 * sends its model's requests to the other endpoints first, so a test that fails an endpoint that
 * often uses a model of its own. {@code test/gratis} is served for a price by alpha and, as {@code
 * test/gratis:free}, for nothing by beta (the free tier). {@code test/cached} (alpha), {@code
 * test/claude} and {@code test/gemini} have prompt cache prices; {@code test/long} (alpha) allows
 * answers of megabytes (the slow readers' test), and {@code test/resume} (alpha, then beta, alike)
 * is the resumed streams' test's.
 */
public record ControlledSwitchboard(RunningSwitchboard switchboard, ProviderSimulator simulator)
    implements AutoCloseable {

  public static final List<String> PROVIDERS =
      List.of("alpha", "beta", "gamma", "delta", "keyless");

  static ControlledSwitchboard start() {
    ProviderSimulator simulator = ProviderSimulator.start("127.0.0.1", 0);
    try {
      Map<String, String> environment = new HashMap<>(environment(simulator));
      // a silent provider is left after 5 s (InferenceFaultsIT); the jars of tests under heavy
      // load keep the default
      environment.put("SWITCHBOARD_UPSTREAM_FIRST_BYTE_SECONDS", "5");
      return new ControlledSwitchboard(RunningSwitchboard.start(environment), simulator);
    } catch (RuntimeException e) {
      simulator.close();
      throw e;
    }
  }

  /**
   * What points a jar at the simulator: the catalog file and the providers' keys. Jars started with
   * the same environment serve the same providers alike.
   */
  static Map<String, String> environment(ProviderSimulator simulator) {
    String base = simulator.baseUrl();
    String catalog =
        """
        providers:
          - {slug: alpha, name: Alpha, api: openai, base_url: "%1$s/alpha/v1", api_key_env: E2E_ALPHA_KEY}
          - {slug: beta, name: Beta, api: openai, base_url: "%1$s/beta/v1", api_key_env: E2E_BETA_KEY}
          - {slug: gamma, name: Gamma, api: anthropic, base_url: "%1$s/gamma/v1", api_key_env: E2E_GAMMA_KEY}
          - {slug: delta, name: Delta, api: gemini, base_url: "%1$s/delta/v1beta", api_key_env: E2E_DELTA_KEY}
          - {slug: keyless, name: Keyless, api: openai, base_url: "%1$s/keyless/v1", api_key_env: E2E_UNSET_KEY}
        models:
          - id: test/failover
            name: Failover
            context_length: 8192
            endpoints:
              - {provider: alpha, upstream_model: m-alpha, pricing: {prompt: "0.000001", completion: "0.000002"}}
              - {provider: beta, upstream_model: m-beta, pricing: {prompt: "0.000003", completion: "0.000004"}}
          - id: test/alpha
            name: Alpha only
            context_length: 8192
            endpoints:
              - {provider: alpha, upstream_model: m-alpha, pricing: {prompt: "0.000001", completion: "0.000002"}}
          - id: test/pricey
            name: Pricey
            context_length: 100000
            endpoints:
              - {provider: alpha, upstream_model: m-pricey, pricing: {prompt: "0.0001", completion: "0.001"},
                 max_completion_tokens: 4000}
          - id: test/claude
            name: Claude-shaped
            context_length: 8192
            endpoints:
              - {provider: gamma, upstream_model: c-1,
                 pricing: {prompt: "0.000003", completion: "0.000015", input_cache_read: "0.0000003", input_cache_write: "0.00000375"}}
          - id: test/gemini
            name: Gemini-shaped
            context_length: 8192
            endpoints:
              - {provider: delta, upstream_model: g-1,
                 pricing: {prompt: "0.0000001", completion: "0.0000004", input_cache_read: "0.000000025"}}
          - id: test/flat
            name: Flat fee
            context_length: 8192
            endpoints:
              - {provider: alpha, upstream_model: m-flat, pricing: {prompt: "0", completion: "0", request: "0.001"}}
          - id: test/cached
            name: Cached
            context_length: 8192
            endpoints:
              - {provider: alpha, upstream_model: m-cached,
                 pricing: {prompt: "0.000001", completion: "0.000002", input_cache_read: "0.0000005"}}
          - id: test/health
            name: Health
            context_length: 8192
            endpoints:
              - {provider: alpha, upstream_model: m-health, pricing: {prompt: "0.000001", completion: "0.000002"}}
          - id: test/breaker
            name: Breaker
            context_length: 8192
            endpoints:
              - {provider: alpha, upstream_model: m-breaker, pricing: {prompt: "0.000001", completion: "0.000002"}}
              - {provider: beta, upstream_model: m-breaker, pricing: {prompt: "0.000003", completion: "0.000004"}}
          - id: test/resume
            name: Resume
            context_length: 8192
            endpoints:
              - {provider: alpha, upstream_model: m-resume, pricing: {prompt: "0.000001", completion: "0.000002"}}
              - {provider: beta, upstream_model: m-resume, pricing: {prompt: "0.000003", completion: "0.000004"}}
          - id: test/long
            name: Long answers
            context_length: 1000000
            endpoints:
              - {provider: alpha, upstream_model: m-long, pricing: {prompt: "0.000001", completion: "0.000002"}}
          - id: test/flapping
            name: Flapping
            context_length: 8192
            endpoints:
              - {provider: alpha, upstream_model: m-flapping, pricing: {prompt: "0.000001", completion: "0.000002"}}
              - {provider: beta, upstream_model: m-flapping, pricing: {prompt: "0.000003", completion: "0.000004"}}
          - id: test/unsteady
            name: Unsteady
            context_length: 8192
            endpoints:
              - {provider: alpha, upstream_model: m-unsteady, pricing: {prompt: "0.000001", completion: "0.000002"}}
              - {provider: beta, upstream_model: m-unsteady, pricing: {prompt: "0.000003", completion: "0.000004"}}
          - id: test/down
            name: Down
            context_length: 8192
            endpoints:
              - {provider: alpha, upstream_model: m-down, pricing: {prompt: "0.00001", completion: "0.0001"}}
              - {provider: beta, upstream_model: m-down, pricing: {prompt: "0.00001", completion: "0.00011"}}
              - {provider: gamma, upstream_model: m-down, pricing: {prompt: "0.00001", completion: "0.00012"}}
          - id: test/speed
            name: Speed
            context_length: 8192
            endpoints:
              - {provider: alpha, upstream_model: m-speed, pricing: {prompt: "0.000001", completion: "0.000002"}}
              - {provider: beta, upstream_model: m-speed, pricing: {prompt: "0.000003", completion: "0.000004"}}
              - {provider: gamma, upstream_model: m-speed, pricing: {prompt: "0.000005", completion: "0.000006"}}
          - id: test/sticky
            name: Sticky
            context_length: 8192
            endpoints:
              - {provider: alpha, upstream_model: m-sticky, pricing: {prompt: "0.000001", completion: "0.000002"}}
              - {provider: beta, upstream_model: m-sticky, pricing: {prompt: "0.000003", completion: "0.000004"}}
          - id: test/gratis
            name: Gratis
            context_length: 8192
            endpoints:
              - {provider: alpha, upstream_model: m-gratis, pricing: {prompt: "0.000001", completion: "0.000002"}}
              - {provider: beta, upstream_model: m-gratis, pricing: {prompt: "0", completion: "0", request: "0"}}
          - id: test/keyless
            name: Keyless
            context_length: 8192
            endpoints:
              - {provider: keyless, upstream_model: k-1, pricing: {prompt: "0.000001", completion: "0.000001"}}
        """
            .formatted(base);
    try {
      Path file = Files.createTempFile("switchboard-e2e-catalog", ".yaml");
      Files.writeString(file, catalog);
      return Map.of(
          "SWITCHBOARD_CATALOG", file.toString(),
          "SWITCHBOARD_UPSTREAM_IDLE_SECONDS", "2",
          "SWITCHBOARD_STREAM_KEEPALIVE_MILLIS", "300",
          "SWITCHBOARD_ROUTING_SPREAD", "false",
          "E2E_ALPHA_KEY", "alpha-secret",
          "E2E_BETA_KEY", "beta-secret",
          "E2E_GAMMA_KEY", "gamma-secret",
          "E2E_DELTA_KEY", "delta-secret");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void faults(String provider, FaultSpec faults) {
    simulator.setProviderFaults(provider, faults);
  }

  public List<RecordedRequest> sentTo(String provider) {
    return simulator.recordedRequests(provider);
  }

  /** Clears faults and recordings, so tests sharing the instance start alike. */
  public void reset() {
    PROVIDERS.forEach(p -> simulator.setProviderFaults(p, null));
    simulator.clearRecordedRequests();
  }

  @Override
  public void close() {
    switchboard.close();
    simulator.close();
  }
}
