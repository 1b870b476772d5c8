package dev.switchboard.api.inference.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.SseEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Switchboard's OpenAI stream chunks as Anthropic's SSE events, for one streamed answer. OpenAI
 * deltas mix reasoning, text and tool-call fragments freely; Anthropic wants one content block at a
 * time, so a change of kind closes the open block and starts the next index. One instance per
 * stream, one thread at a time.
 */
public final class MessagesStreamEncoder {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String messageId;
  private final String model;
  private final Map<Integer, Integer> blockIndexByTool = new HashMap<>();
  private boolean started;
  private boolean ended;
  private int nextBlockIndex;
  private OpenBlock open;
  private String stopReason = "end_turn";

  public MessagesStreamEncoder(String messageId, String model) {
    this.messageId = messageId;
    this.model = model;
  }

  /** The events for one OpenAI {@code chat.completion.chunk}. */
  public List<SseEvent> onChunk(ObjectNode chunk) {
    List<SseEvent> events = new ArrayList<>();
    if (ended) {
      return events;
    }
    start(events);
    JsonNode choice = chunk.path("choices").path(0);
    JsonNode delta = choice.path("delta");
    String reasoning = delta.path("reasoning").asText("");
    if (!reasoning.isEmpty()) {
      switchTo(BlockKind.THINKING, null, events);
      events.add(
          delta(NODES.objectNode().put("type", "thinking_delta").put("thinking", reasoning)));
    }
    String text = delta.path("content").asText("");
    if (!text.isEmpty()) {
      switchTo(BlockKind.TEXT, null, events);
      events.add(delta(NODES.objectNode().put("type", "text_delta").put("text", text)));
    }
    for (JsonNode call : delta.path("tool_calls")) {
      toolCallFragment(call, events);
    }
    String finishReason = choice.path("finish_reason").textValue();
    if (finishReason != null) {
      stopReason =
          MessagesStopReason.of(finishReason, choice.path("native_finish_reason").textValue());
    }
    return events;
  }

  /** The closing events, given the answer's OpenAI usage (null when the provider reported none). */
  public List<SseEvent> finish(ObjectNode usage) {
    List<SseEvent> events = new ArrayList<>();
    if (ended) {
      return events;
    }
    start(events);
    close(events);
    ObjectNode messageDelta = NODES.objectNode().put("type", "message_delta");
    messageDelta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
    messageDelta.set("usage", MessagesUsage.from(usage).toJson());
    events.add(new SseEvent("message_delta", messageDelta.toString()));
    events.add(
        new SseEvent("message_stop", NODES.objectNode().put("type", "message_stop").toString()));
    ended = true;
    return events;
  }

  /**
   * An in-band failure after the stream started; Anthropic ends such a stream with this one event.
   */
  public SseEvent error(String type, String message) {
    ended = true;
    ObjectNode error = NODES.objectNode().put("type", "error");
    error.putObject("error").put("type", type).put("message", message);
    return new SseEvent("error", error.toString());
  }

  private void start(List<SseEvent> events) {
    if (started) {
      return;
    }
    started = true;
    ObjectNode message = NODES.objectNode();
    message.put("id", messageId);
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", model);
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    // Usage is known only at the end; message_delta carries the full, cumulative counts.
    message.set("usage", new MessagesUsage(0, 0, 0, 0).toJson());
    ObjectNode event = NODES.objectNode().put("type", "message_start");
    event.set("message", message);
    events.add(new SseEvent("message_start", event.toString()));
  }

  private void toolCallFragment(JsonNode call, List<SseEvent> events) {
    int toolIndex = call.path("index").asInt(0);
    Integer blockIndex = blockIndexByTool.get(toolIndex);
    if (blockIndex == null) {
      ObjectNode block = NODES.objectNode().put("type", "tool_use");
      block.put("id", call.path("id").asText(""));
      block.put("name", call.path("function").path("name").asText(""));
      block.putObject("input");
      blockIndex = switchTo(BlockKind.TOOL_USE, block, events);
      blockIndexByTool.put(toolIndex, blockIndex);
    }
    String arguments = call.path("function").path("arguments").asText("");
    if (!arguments.isEmpty()) {
      // Carries the tool's own block index: SDKs accumulate by index even if providers interleave
      // calls.
      events.add(
          delta(
              blockIndex,
              NODES.objectNode().put("type", "input_json_delta").put("partial_json", arguments)));
    }
  }

  /** Makes a block of {@code kind} the open one, unless it already is; answers its index. */
  private int switchTo(BlockKind kind, ObjectNode toolBlock, List<SseEvent> events) {
    if (open != null && open.kind() == kind && kind != BlockKind.TOOL_USE) {
      return open.index();
    }
    close(events);
    ObjectNode block =
        switch (kind) {
          case THINKING ->
              NODES.objectNode().put("type", "thinking").put("thinking", "").put("signature", "");
          case TEXT -> NODES.objectNode().put("type", "text").put("text", "");
          case TOOL_USE -> toolBlock;
        };
    open = new OpenBlock(kind, nextBlockIndex++);
    ObjectNode event =
        NODES.objectNode().put("type", "content_block_start").put("index", open.index());
    event.set("content_block", block);
    events.add(new SseEvent("content_block_start", event.toString()));
    return open.index();
  }

  private void close(List<SseEvent> events) {
    if (open == null) {
      return;
    }
    ObjectNode stop =
        NODES.objectNode().put("type", "content_block_stop").put("index", open.index());
    events.add(new SseEvent("content_block_stop", stop.toString()));
    open = null;
  }

  private SseEvent delta(ObjectNode delta) {
    return delta(open.index(), delta);
  }

  private static SseEvent delta(int index, ObjectNode delta) {
    ObjectNode event = NODES.objectNode().put("type", "content_block_delta").put("index", index);
    event.set("delta", delta);
    return new SseEvent("content_block_delta", event.toString());
  }

  private enum BlockKind {
    THINKING,
    TEXT,
    TOOL_USE
  }

  private record OpenBlock(BlockKind kind, int index) {}
}
