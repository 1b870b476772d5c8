package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Remote control for the standalone simulator, under {@code /_sim}:
 *
 * <pre>
 * GET    /_sim/health                         {"status":"ok"}
 * PUT    /_sim/providers/{name}/faults        JSON object of FaultSpec fields (camelCase or x-sim-* names)
 * GET    /_sim/providers/{name}/faults        the configured spec (camelCase), 404 when none
 * DELETE /_sim/providers/{name}/faults        clear
 * GET    /_sim/providers/{name}/requests      recorded requests, oldest first
 * DELETE /_sim/requests                       clear all recordings
 * </pre>
 */
final class AdminEndpoint {
  private static final Pattern PROVIDER_PATH =
      Pattern.compile("/_sim/providers/([^/]+)/(faults|requests)");

  private final RequestRecorder recorder;
  private final ProviderFaultRegistry faults;

  AdminEndpoint(RequestRecorder recorder, ProviderFaultRegistry faults) {
    this.recorder = recorder;
    this.faults = faults;
  }

  void handle(HttpExchange exchange, String path) throws IOException {
    byte[] body = ExchangeIo.readBody(exchange);
    String method = exchange.getRequestMethod();
    if ("/_sim/health".equals(path) && "GET".equals(method)) {
      ExchangeIo.sendJson(exchange, 200, JsonCodec.bytes(Map.of("status", "ok")));
      return;
    }
    if ("/_sim/requests".equals(path) && "DELETE".equals(method)) {
      recorder.clear();
      ExchangeIo.send(exchange, 204, new byte[0]);
      return;
    }
    Matcher m = PROVIDER_PATH.matcher(path);
    if (!m.matches()) {
      sendError(exchange, 404, "unknown admin path " + path);
      return;
    }
    String provider = m.group(1);
    String resource = m.group(2);
    if ("requests".equals(resource) && "GET".equals(method)) {
      ExchangeIo.sendJson(exchange, 200, JsonCodec.bytes(recorder.recorded(provider)));
    } else if ("faults".equals(resource) && "PUT".equals(method)) {
      putFaults(exchange, provider, body);
    } else if ("faults".equals(resource) && "DELETE".equals(method)) {
      faults.set(provider, null);
      ExchangeIo.send(exchange, 204, new byte[0]);
    } else if ("faults".equals(resource) && "GET".equals(method)) {
      FaultSpec spec = faults.configured(provider);
      if (spec == null) {
        sendError(exchange, 404, "no faults configured for " + provider);
      } else {
        ExchangeIo.sendJson(exchange, 200, JsonCodec.bytes(spec.asMap()));
      }
    } else {
      sendError(exchange, 405, method + " not allowed on " + path);
    }
  }

  private void putFaults(HttpExchange exchange, String provider, byte[] body) throws IOException {
    try {
      JsonNode json = JsonCodec.parseObject(body);
      Map<String, String> values = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> field : json.properties()) {
        values.put(field.getKey(), field.getValue().isNull() ? null : field.getValue().asText());
      }
      FaultSpec spec = FaultSpec.fromFields(values);
      faults.set(provider, spec);
      ExchangeIo.sendJson(exchange, 200, JsonCodec.bytes(spec.asMap()));
    } catch (InvalidRequestException | IllegalArgumentException e) {
      sendError(exchange, 400, e.getMessage());
    }
  }

  private static void sendError(HttpExchange exchange, int status, String message)
      throws IOException {
    ObjectNode error = JsonCodec.object();
    error.putObject("error").put("message", message);
    ExchangeIo.sendJson(exchange, status, JsonCodec.bytes(error));
  }
}
