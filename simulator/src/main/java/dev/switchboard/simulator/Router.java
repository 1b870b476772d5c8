package dev.switchboard.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Splits {@code /{provider}/rest} from {@code /_sim/...} and turns unexpected failures into 500s.
 */
final class Router implements HttpHandler {
  private final CompletionEndpoint completions;
  private final AdminEndpoint admin;

  Router(CompletionEndpoint completions, AdminEndpoint admin) {
    this.completions = completions;
    this.admin = admin;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/_sim") || path.startsWith("/_sim/")) {
        admin.handle(exchange, path);
        return;
      }
      int slash = path.indexOf('/', 1);
      if (path.length() < 2 || slash < 0) {
        exchange.getRequestBody().readAllBytes();
        ExchangeIo.sendJson(
            exchange,
            404,
            OpenAiFormat.INSTANCE.errorBody(
                404, "Invalid URL (" + exchange.getRequestMethod() + " " + path + ")"));
        return;
      }
      completions.handle(exchange, path.substring(1, slash), path.substring(slash));
    } catch (ConnectionDrop drop) {
      throw drop; // the JDK server closes the socket without completing the response
    } catch (IOException clientGone) {
      throw clientGone;
    } catch (RuntimeException bug) {
      if (exchange.getResponseCode() != -1) {
        throw new ConnectionDrop("failure after headers were sent: " + bug);
      }
      byte[] body =
          ("{\"error\":{\"message\":\"simulator failure: "
                  + bug.getClass().getSimpleName()
                  + "\",\"type\":\"server_error\"}}")
              .getBytes(StandardCharsets.UTF_8);
      ExchangeIo.sendJson(exchange, 500, body);
    }
  }
}
