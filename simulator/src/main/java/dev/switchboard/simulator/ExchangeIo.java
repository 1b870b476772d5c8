package dev.switchboard.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reading requests from and writing whole responses to a JDK {@link HttpExchange}. */
final class ExchangeIo {
  private ExchangeIo() {}

  static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  /** Header names lower-cased (the JDK capitalises them), repeated values joined as HTTP allows. */
  static Map<String, String> headers(HttpExchange exchange) {
    Headers raw = exchange.getRequestHeaders();
    Map<String, String> headers = new HashMap<>(raw.size() * 2);
    for (Map.Entry<String, List<String>> entry : raw.entrySet()) {
      headers.put(entry.getKey().toLowerCase(Locale.ROOT), String.join(", ", entry.getValue()));
    }
    return headers;
  }

  static void sendJson(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    send(exchange, status, body);
  }

  static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
