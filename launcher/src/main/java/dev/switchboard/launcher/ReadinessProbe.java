package dev.switchboard.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks the started application whether it is ready, once Payara Micro has finished deploying it.
 */
final class ReadinessProbe {

  record Result(boolean up, String detail) {}

  private ReadinessProbe() {}

  static Result check(URI readiness) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(30)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return new Result(
          response.statusCode() == 200, response.statusCode() + " " + response.body());
    } catch (IOException e) {
      return new Result(false, "no answer from " + readiness + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, "interrupted");
    }
  }
}
