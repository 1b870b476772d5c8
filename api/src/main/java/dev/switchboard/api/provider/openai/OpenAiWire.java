package dev.switchboard.api.provider.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderCall;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import dev.switchboard.api.provider.ProviderUrls;
import dev.switchboard.api.provider.StreamDecoder;
import dev.switchboard.api.provider.WireFormat;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;

/**
 * The OpenAI chat-completions wire format: {@code POST {base_url}/chat/completions}, bearer auth.
 */
public final class OpenAiWire implements WireFormat {

  @Override
  public HttpRequest toHttpRequest(ProviderCall call) {
    return HttpRequest.newBuilder(
            ProviderUrls.resolve(call.provider().baseUrl(), "chat/completions"))
        .header("Authorization", "Bearer " + call.apiKey())
        .header("Content-Type", "application/json")
        .header("Accept", call.stream() ? "text/event-stream" : "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofByteArray(Json.bytes(OpenAiRequestMapper.toRequest(call))))
        .build();
  }

  @Override
  public ObjectNode fromResponse(ProviderCall call, byte[] body) throws ProviderException {
    return OpenAiResponseMapper.fromResponse(body);
  }

  @Override
  public StreamDecoder streamDecoder(ProviderCall call) {
    return new OpenAiStreamDecoder();
  }

  @Override
  public ProviderError fromError(int status, HttpHeaders headers, byte[] body) {
    return OpenAiErrorMapper.fromError(status, headers, body);
  }
}
