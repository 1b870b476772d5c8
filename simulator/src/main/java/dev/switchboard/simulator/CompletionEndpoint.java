package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The request pipeline for {@code /{provider}/...}: record, route, authenticate, apply faults,
 * parse, plan, respond. Order matters: requests are recorded before anything can reject them, and
 * faults apply only to authenticated requests so a failNextRequests budget is not consumed by
 * misconfigured clients.
 */
final class CompletionEndpoint {
  private final RequestRecorder recorder;
  private final ProviderFaultRegistry faults;
  private final ShutdownSignal shutdown;
  private final StreamRunner streamRunner;
  private final PromptCache promptCache = new PromptCache();

  CompletionEndpoint(
      RequestRecorder recorder, ProviderFaultRegistry faults, ShutdownSignal shutdown) {
    this.recorder = recorder;
    this.faults = faults;
    this.shutdown = shutdown;
    this.streamRunner = new StreamRunner(shutdown);
  }

  void handle(HttpExchange exchange, String provider, String rest) throws IOException {
    String method = exchange.getRequestMethod();
    String rawQuery = exchange.getRequestURI().getRawQuery();
    Map<String, String> headers = ExchangeIo.headers(exchange);
    byte[] body = ExchangeIo.readBody(exchange);
    recorder.record(
        provider,
        method,
        exchange.getRequestURI().getPath(),
        rawQuery,
        headers,
        new String(body, StandardCharsets.UTF_8));

    Route route = Route.match(method, rest, rawQuery, headers);
    if (route == null) {
      ExchangeIo.sendJson(
          exchange,
          404,
          OpenAiFormat.INSTANCE.errorBody(
              404, "Invalid URL (" + method + " " + exchange.getRequestURI().getPath() + ")"));
      return;
    }
    WireFormat format = route.format();
    format.responseHeaders().forEach(exchange.getResponseHeaders()::set);

    FaultSpec fromHeaders;
    try {
      fromHeaders = FaultSpec.fromHeaders(headers);
    } catch (IllegalArgumentException e) {
      sendError(
          exchange, format, new ErrorReply(400, "invalid simulator header: " + e.getMessage()));
      return;
    }
    ErrorReply rejected = format.checkHeaders(headers, rawQuery);
    if (rejected != null) {
      sendError(exchange, format, rejected);
      return;
    }

    FaultSpec fault = faults.resolve(provider, fromHeaders);
    if (fault.isReset()) {
      throw new ConnectionDrop("x-sim-reset");
    }
    shutdown.pause(fault.delayMs());
    if (fault.retryAfterSeconds() != null) {
      exchange.getResponseHeaders().set("Retry-After", String.valueOf(fault.retryAfterSeconds()));
    }
    if (fault.status() != null) {
      byte[] faultBody =
          fault.body() != null
              ? fault.body().getBytes(StandardCharsets.UTF_8)
              : format.errorBody(fault.status(), "Simulated failure with status " + fault.status());
      ExchangeIo.sendJson(exchange, fault.status(), faultBody);
      return;
    }
    if (route.kind() == Route.Kind.MODELS) {
      ExchangeIo.sendJson(exchange, 200, format.modelsBody());
      return;
    }

    ChatRequest request;
    try {
      JsonNode json = JsonCodec.parseObject(body);
      request = format.parse(json, route);
    } catch (InvalidRequestException e) {
      sendError(exchange, format, new ErrorReply(400, e.getMessage()));
      return;
    }
    CompletionPlan plan =
        CompletionPlan.of(request, fault.completionTokens())
            .withCache(
                promptCache.use(
                    provider, request.cacheablePrefix(), format.cachesOnlyMarkedPrompts()));
    if (fault.promptTokens() != null) {
      plan = plan.reportingPromptTokens(fault.promptTokens());
    }
    boolean usage = !fault.isNoUsage();
    if (!request.stream()) {
      respondWhole(exchange, fault, format.completionBody(request, plan, usage));
    } else if (route.streamPath() && !route.sse()) {
      respondWhole(exchange, fault, jsonArray(format.streamEvents(request, plan, usage)));
    } else {
      respondStream(exchange, fault, format, format.streamEvents(request, plan, usage));
    }
  }

  private void respondWhole(HttpExchange exchange, FaultSpec fault, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    shutdown.pause(fault.ttftMs());
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private void respondStream(
      HttpExchange exchange, FaultSpec fault, WireFormat format, List<SseEvent> events)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    streamRunner.run(events, fault, format, new SseWriter(out, format.sseLineEnd()));
    out.close();
  }

  /**
   * Gemini's streamGenerateContent without alt=sse answers with a JSON array of the same chunks.
   */
  private static byte[] jsonArray(List<SseEvent> events) {
    StringBuilder array = new StringBuilder("[");
    for (SseEvent event : events) {
      array.append(array.length() == 1 ? "" : ",\r\n").append(event.data());
    }
    return array.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void sendError(HttpExchange exchange, WireFormat format, ErrorReply error)
      throws IOException {
    ExchangeIo.sendJson(
        exchange, error.status(), format.errorBody(error.status(), error.message()));
  }
}
