package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.simulator.FaultSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clients that stop reading their stream: they cost a bounded buffer, never a thread, so the other
 * streams go on; once more than the buffer waits for one, it is cut, billed for what the provider
 * produced, and finds the news in-band after a whole prefix of its answer.
 */
@ExtendWith(SwitchboardExtension.class)
class SlowReadersIT {

  /**
   * More clients that never read than the gateway has threads for provider answers (at least 4):
   * were a write to one of them to block its thread, the readers' answers could not be relayed.
   */
  private static final int NON_READERS = 6;

  private static final int READERS = 20;

  /** An answer of about 11 MB: more than a socket, the container and the buffer hold together. */
  private static final int LONG_ANSWER_TOKENS = 40_000;

  private static final Pattern GENERATION_ID =
      Pattern.compile("(?im)^X-Generation-Id:\\s*(\\S+)\\s*$");

  @Test
  void clientsThatNeverReadAreCutAndBilledWhileTheOthersGetWholeAnswers(ControlledSwitchboard sb)
      throws Exception {
    Tenant tenant = Tenant.withCredits(sb.switchboard(), "5.00");
    sb.faults(
        "alpha", FaultSpec.builder().completionTokens(LONG_ANSWER_TOKENS).chunkDelayMs(0).build());
    sb.faults("gamma", FaultSpec.builder().completionTokens(20).chunkDelayMs(50).build());
    String readersBody =
        """
        {"model":"test/claude","stream":true,"max_tokens":20,
         "messages":[{"role":"user","content":"Tell me about the sea."}]}""";
    JsonNode whole =
        Tenant.parse(
            sb.switchboard()
                .post(
                    "/api/v1/chat/completions",
                    tenant.managementKey(),
                    readersBody.replace("\"stream\":true", "\"stream\":false"),
                    Map.of())
                .body());
    String expected = whole.at("/choices/0/message/content").asText();
    BigDecimal answerCost = whole.at("/usage/cost").decimalValue();
    double cutBefore = cutClients(sb);

    List<Socket> nonReaders = new ArrayList<>();
    try {
      for (int i = 0; i < NON_READERS; i++) {
        nonReaders.add(openNonReader(sb, tenant));
      }
      long start = System.nanoTime();
      HttpClient http = HttpClient.newHttpClient();
      List<CompletableFuture<HttpResponse<String>>> readers = new ArrayList<>();
      for (int i = 0; i < READERS; i++) {
        readers.add(
            http.sendAsync(
                HttpRequest.newBuilder(sb.switchboard().uri("/api/v1/chat/completions"))
                    .header("Authorization", "Bearer " + tenant.managementKey())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(readersBody))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      Duration readersTook = Duration.ofNanos(System.nanoTime() - start);

      for (CompletableFuture<HttpResponse<String>> reader : readers) {
        HttpResponse<String> response = reader.join();
        assertThat(response.statusCode()).isEqualTo(200);
        StreamTranscript transcript = StreamTranscript.of(response.body());
        assertThat(transcript.endsWithDone()).isTrue();
        assertThat(transcript.content()).isEqualTo(expected);
      }
      // each answer takes about a second (20 tokens 50 ms apart); blocked relays would hold them
      // until the container's write timeout (30 s) freed a thread
      assertThat(readersTook).isLessThan(Duration.ofSeconds(20));

      Awaitility.await("every client that never read is cut")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> cutClients(sb) - cutBefore >= NON_READERS);

      BigDecimal nonReadersCost = BigDecimal.ZERO;
      for (Socket socket : nonReaders) {
        RawResponse response = readToEnd(socket);
        assertThat(response.head()).startsWith("HTTP/1.1 200");
        assertThat(response.body()).doesNotContain("[DONE]");
        StreamTranscript transcript = StreamTranscript.of(response.body());
        JsonNode last = transcript.last();
        assertThat(last.at("/error/code").asInt()).isEqualTo(408);
        assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("error");
        // everything before the news is whole chunks of the answer, in order
        assertThat(transcript.chunks().subList(0, transcript.chunks().size() - 1))
            .allSatisfy(chunk -> assertThat(chunk.has("error")).isFalse());

        Matcher id = GENERATION_ID.matcher(response.head());
        assertThat(id.find()).isTrue();
        JsonNode generation = tenant.getJson("/api/v1/generation?id=" + id.group(1)).get("data");
        assertThat(generation.get("cancelled").asBoolean()).isTrue();
        assertThat(generation.get("tokens_completion").asLong())
            .isBetween(1L, LONG_ANSWER_TOKENS - 1L);
        BigDecimal cost = generation.get("total_cost").decimalValue();
        assertThat(cost).isPositive();
        assertThat(last.at("/usage/cost").decimalValue()).isEqualByComparingTo(cost);
        nonReadersCost = nonReadersCost.add(cost);
      }
      // the whole answer read first and the readers' alike, at the same price, and nothing else
      assertThat(tenant.totalUsage())
          .isEqualByComparingTo(
              nonReadersCost.add(answerCost.multiply(BigDecimal.valueOf(READERS + 1))));
    } finally {
      for (Socket socket : nonReaders) {
        socket.close();
      }
    }
  }

  /** A streamed request for a long answer on a socket that will not be read until the end. */
  private static Socket openNonReader(ControlledSwitchboard sb, Tenant tenant) throws IOException {
    String body =
        """
        {"model":"test/long","stream":true,"max_tokens":%d,
         "messages":[{"role":"user","content":"Tell me everything."}]}"""
            .formatted(LONG_ANSWER_TOKENS);
    Socket socket = new Socket();
    // a small window, so that little of the answer sits on this side
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", sb.switchboard().port()));
    RawChatRequest.send(socket, tenant.managementKey(), body);
    return socket;
  }

  private record RawResponse(String head, String body) {}

  /** Reads a chunked HTTP response to its last chunk and returns its head and de-chunked body. */
  private static RawResponse readToEnd(Socket socket) throws IOException {
    socket.setSoTimeout(20_000);
    InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
    StringBuilder head = new StringBuilder();
    String line;
    while (!(line = readLine(in)).isEmpty()) {
      head.append(line).append('\n');
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int size = Integer.parseInt(readLine(in).trim(), 16);
      if (size == 0) {
        break;
      }
      body.write(in.readNBytes(size));
      readLine(in);
    }
    return new RawResponse(head.toString(), body.toString(StandardCharsets.UTF_8));
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("the response ended early");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  private static double cutClients(ControlledSwitchboard sb) {
    String metrics = sb.switchboard().get("/metrics", null).body();
    Matcher m =
        Pattern.compile(
                "(?m)^switchboard_slow_clients_cut_total\\{[^}]*reason=\"buffer\"[^}]*} (\\S+)$")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
