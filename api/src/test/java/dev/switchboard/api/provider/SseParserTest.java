package dev.switchboard.api.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseParserTest {

  /**
   * A transcript using every feature at once, with LF line ends; {@link #withLineEnds} rewrites
   * them.
   */
  private static final String TRANSCRIPT =
      String.join(
          "\n",
          ": keep-alive comment",
          "",
          "event: message_start",
          "data: {\"type\":\"message_start\"}",
          "",
          "data: first line",
          "data: second line",
          "",
          "id: 7",
          "retry: 1000",
          "data: Grüße, 世界 😀",
          "",
          ": OPENROUTER PROCESSING",
          "data:no-space",
          "",
          "event: ping",
          "",
          "data: [DONE]",
          "",
          "");

  private static final List<SseEvent> EXPECTED =
      List.of(
          new SseEvent("message_start", "{\"type\":\"message_start\"}"),
          new SseEvent(null, "first line\nsecond line"),
          new SseEvent(null, "Grüße, 世界 😀"),
          new SseEvent(null, "no-space"),
          new SseEvent(null, "[DONE]"));

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] withLineEnds(String lineEnd) {
    return utf8(TRANSCRIPT.replace("\n", lineEnd));
  }

  /** Feeds {@code bytes} split at {@code cuts} (ascending offsets), then finishes the stream. */
  private static List<SseEvent> parse(byte[] bytes, int... cuts) {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      events.addAll(parser.feed(ByteBuffer.wrap(bytes, from, cut - from)));
      from = cut;
    }
    events.addAll(parser.feed(ByteBuffer.wrap(bytes, from, bytes.length - from)));
    events.addAll(parser.finish());
    return events;
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void parsesEventsWithAnyLineEnd(String lineEnd) {
    assertThat(parse(withLineEnds(lineEnd))).isEqualTo(EXPECTED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void givesTheSameEventsWhenFedOneByteAtATime(String lineEnd) {
    byte[] bytes = withLineEnds(lineEnd);
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>();
    for (byte b : bytes) {
      events.addAll(parser.feed(ByteBuffer.wrap(new byte[] {b})));
    }
    events.addAll(parser.finish());

    assertThat(events).isEqualTo(EXPECTED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void givesTheSameEventsWhenSplitAtEveryByteBoundary(String lineEnd) {
    byte[] bytes = withLineEnds(lineEnd);
    for (int cut = 0; cut <= bytes.length; cut++) {
      assertThat(parse(bytes, cut)).as("split at byte %d", cut).isEqualTo(EXPECTED);
    }
  }

  @Test
  void givesTheSameEventsInRandomChunkings() {
    Random random = new Random(20250611L);
    for (String lineEnd : List.of("\n", "\r\n", "\r")) {
      byte[] bytes = withLineEnds(lineEnd);
      for (int round = 0; round < 500; round++) {
        int[] cuts = random.ints(random.nextInt(12), 0, bytes.length + 1).sorted().toArray();
        assertThat(parse(bytes, cuts))
            .as(
                "line end %s, cuts %s",
                lineEnd.replace("\r", "CR").replace("\n", "LF"), Arrays.toString(cuts))
            .isEqualTo(EXPECTED);
      }
    }
  }

  @Test
  void joinsMultiLineDataWithNewlines() {
    assertThat(parse(utf8("data: {\"a\":\ndata: 1}\ndata:\n\n")))
        .containsExactly(new SseEvent(null, "{\"a\":\n1}\n"));
  }

  @Test
  void ignoresCommentsAndEventsWithoutData() {
    assertThat(parse(utf8(": comment\n\n:another\n\nevent: ping\n\n"))).isEmpty();
  }

  @Test
  void namesEventsAndForgetsTheNameAfterEachEvent() {
    assertThat(parse(utf8("event: content_block_delta\ndata: a\n\ndata: b\n\n")))
        .containsExactly(new SseEvent("content_block_delta", "a"), new SseEvent(null, "b"));
  }

  @Test
  void stripsOnlyOneSpaceAfterTheColon() {
    assertThat(parse(utf8("data:  two spaces\n\n")))
        .containsExactly(new SseEvent(null, " two spaces"));
  }

  @Test
  void deliversAFinalEventWithoutATrailingBlankLineOnlyWhenTheStreamFinishes() {
    SseParser parser = new SseParser();

    assertThat(parser.feed(ByteBuffer.wrap(utf8("data: one\n\ndata: last"))))
        .containsExactly(new SseEvent(null, "one"));
    assertThat(parser.finish()).containsExactly(new SseEvent(null, "last"));
  }

  @Test
  void deliversAFinalEventEndedByASingleLineEndWhenTheStreamFinishes() {
    SseParser parser = new SseParser();

    assertThat(parser.feed(ByteBuffer.wrap(utf8("event: done\ndata: last\r\n")))).isEmpty();
    assertThat(parser.finish()).containsExactly(new SseEvent("done", "last"));
  }

  @Test
  void finishingAnEmptyStreamDeliversNothing() {
    assertThat(new SseParser().finish()).isEmpty();
  }

  @Test
  void decodesMultibyteCharactersSplitAcrossBuffers() {
    byte[] bytes = utf8("data: 😀é世\n\n");
    // the emoji is 4 bytes from offset 6: cut inside it, then inside é and 世
    assertThat(parse(bytes, 7, 8, 9, 11, 13)).containsExactly(new SseEvent(null, "😀é世"));
  }

  @Test
  void treatsACrlfSplitAcrossBuffersAsOneLineEnd() {
    byte[] bytes = utf8("data: a\r\ndata: b\r\n\r\n");

    assertThat(parse(bytes, 8)).containsExactly(new SseEvent(null, "a\nb"));
    assertThat(parse(bytes, 17)).containsExactly(new SseEvent(null, "a\nb"));
  }
}
