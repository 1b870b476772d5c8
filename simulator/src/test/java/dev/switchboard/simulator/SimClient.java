package dev.switchboard.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small HTTP/SSE client for tests; records every stream event and whether the stream ended
 * abruptly.
 */
final class SimClient {
  static final String[] OPENAI_AUTH = {"Authorization", "Bearer sk-test-123"};
  static final String[] ANTHROPIC_AUTH = {
    "x-api-key", "sk-ant-test", "anthropic-version", "2023-06-01"
  };
  static final String[] GEMINI_AUTH = {"x-goog-api-key", "AIza-test"};
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String baseUrl;

  SimClient(ProviderSimulator simulator) {
    this.baseUrl = simulator.baseUrl();
  }

  HttpResponse<String> post(String path, String body, String... headers) {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> send(String method, String path, String body, String... headers) {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body);
    return send(request(path, headers).method(method, publisher).build());
  }

  JsonNode postJson(String path, String body, String... headers) {
    HttpResponse<String> response = post(path, body, headers);
    if (response.statusCode() != 200) {
      throw new AssertionError("status " + response.statusCode() + ": " + response.body());
    }
    return json(response.body());
  }

  /** Streams a POST, reading events until the server ends (or breaks) the stream. */
  Transcript stream(String path, String body, String... headers) {
    return stream(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /**
   * Collects lines through a line subscriber rather than an InputStream: the JDK's InputStream
   * adapter discards already-received bytes once the connection fails, which would hide the chunks
   * sent before a cut.
   */
  Transcript stream(HttpRequest request) {
    LineCollector collector = new LineCollector();
    AtomicReference<HttpResponse.ResponseInfo> info = new AtomicReference<>();
    try {
      http.send(
          request,
          responseInfo -> {
            info.set(responseInfo);
            return HttpResponse.BodySubscribers.fromLineSubscriber(collector);
          });
    } catch (IOException e) {
      if (info.get() == null) {
        throw new UncheckedIOException(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    try {
      collector.done.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("stream did not end", e);
    }
    List<Event> events = new ArrayList<>();
    String name = null;
    StringBuilder data = null;
    for (String line : collector.lines) {
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new Event(name, data.toString()));
        }
        name = null;
        data = null;
      } else if (line.startsWith("event: ")) {
        name = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data =
            data == null
                ? new StringBuilder(line.substring(6))
                : data.append('\n').append(line.substring(6));
      }
    }
    return new Transcript(
        info.get().statusCode(),
        info.get().headers().firstValue("content-type").orElse(""),
        events,
        collector.failed);
  }

  private static final class LineCollector implements Flow.Subscriber<String> {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    volatile boolean failed;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      lines.add(line);
    }

    @Override
    public void onError(Throwable throwable) {
      failed = true;
      done.complete(null);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }
  }

  HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return builder;
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  record Event(String name, String data) {
    JsonNode json() {
      return SimClient.json(data);
    }
  }

  record Transcript(int status, String contentType, List<Event> events, boolean endedAbruptly) {
    List<JsonNode> jsonEvents() {
      List<JsonNode> nodes = new ArrayList<>();
      for (Event e : events) {
        if (!e.data().equals("[DONE]")) {
          nodes.add(e.json());
        }
      }
      return nodes;
    }

    List<String> names() {
      return events.stream().map(Event::name).toList();
    }

    List<String> data() {
      return events.stream().map(Event::data).toList();
    }
  }
}
