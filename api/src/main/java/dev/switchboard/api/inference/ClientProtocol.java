package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.ErrorBody;
import java.util.List;

/**
 * How one ingress API renders Switchboard's (OpenAI chat) answers for its clients: the chat API as
 * they are, the legacy completions API as text completions, the Anthropic Messages API as messages.
 */
public interface ClientProtocol {

  ApiType apiType();

  /** The body of a non-streamed answer, from a complete {@code chat.completion}. */
  byte[] response(ObjectNode completion);

  /** A renderer for one streamed answer (stateful where the client format needs it). */
  StreamEncoder streamEncoder();

  /** An error answered instead of a completion, in this API's error shape. */
  default byte[] errorBody(ApiException error) {
    return ErrorBody.bytes(error);
  }

  /** Renders one stream. */
  interface StreamEncoder {

    /** Frames for one {@code chat.completion.chunk}. */
    List<byte[]> chunk(ObjectNode chunk);

    /** The closing frames: the usage chunk (empty {@code choices}) and the end marker. */
    List<byte[]> finish(ObjectNode usageChunk);

    /** Frames for an error after the stream started; the stream ends after them. */
    List<byte[]> error(ObjectNode errorChunk);
  }
}
