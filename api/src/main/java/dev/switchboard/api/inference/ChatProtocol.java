package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import java.util.List;

/** {@code POST /chat/completions}: the internal shape is the client's. */
public final class ChatProtocol implements ClientProtocol {

  @Override
  public ApiType apiType() {
    return ApiType.CHAT;
  }

  @Override
  public byte[] response(ObjectNode completion) {
    return Json.bytes(completion);
  }

  @Override
  public StreamEncoder streamEncoder() {
    return new StreamEncoder() {
      @Override
      public List<byte[]> chunk(ObjectNode chunk) {
        return List.of(SseFrames.data(Json.bytes(chunk)));
      }

      @Override
      public List<byte[]> finish(ObjectNode usageChunk) {
        return List.of(SseFrames.data(Json.bytes(usageChunk)), SseFrames.DONE);
      }

      @Override
      public List<byte[]> error(ObjectNode errorChunk) {
        return List.of(SseFrames.data(Json.bytes(errorChunk)));
      }
    };
  }
}
