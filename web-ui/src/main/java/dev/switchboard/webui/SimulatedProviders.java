package dev.switchboard.webui;

import dev.switchboard.api.catalog.DemoCatalog;
import dev.switchboard.simulator.ProviderSimulator;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The demo catalog's providers: the simulator, started inside the application on a loopback port of
 * its own, with a random key so the catalog's {@code api_key_env} mechanism is exercised as in
 * production.
 */
@ApplicationScoped
public class SimulatedProviders implements DemoCatalog {

  private static final String RESOURCE = "demo-catalog.yaml";
  static final String KEY_ENV = "SWITCHBOARD_SIMULATOR_API_KEY";

  private ProviderSimulator simulator;
  private String key;

  private synchronized ProviderSimulator simulator() {
    if (simulator == null) {
      simulator = ProviderSimulator.start("127.0.0.1", 0);
      byte[] random = new byte[16];
      new SecureRandom().nextBytes(random);
      key = "sim-" + HexFormat.of().formatHex(random);
    }
    return simulator;
  }

  @Override
  public String source() {
    return "built-in demo catalog (" + RESOURCE + ")";
  }

  @Override
  public String text() {
    try (InputStream in = SimulatedProviders.class.getResourceAsStream(RESOURCE)) {
      String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return template.replace("${SIMULATOR_URL}", simulator().baseUrl());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Map<String, String> providerKeys() {
    simulator();
    return Map.of(KEY_ENV, key);
  }

  @PreDestroy
  synchronized void stop() {
    if (simulator != null) {
      simulator.close();
    }
  }
}
