package dev.switchboard.api.provider.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.provider.ProviderCall;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.ProviderException;
import dev.switchboard.api.provider.StreamDecoder;
import dev.switchboard.api.provider.WireFormat;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;

/** The Gemini wire format: composes the request, response, stream and error mappers. */
public final class GeminiWire implements WireFormat {

  private final GeminiRequestMapper requests = new GeminiRequestMapper();
  private final GeminiErrorMapper errors = new GeminiErrorMapper();
  private final GeminiResponseMapper responses = new GeminiResponseMapper();

  @Override
  public HttpRequest toHttpRequest(ProviderCall call) {
    return requests.toHttpRequest(call);
  }

  @Override
  public ObjectNode fromResponse(ProviderCall call, byte[] body) throws ProviderException {
    return responses.toChatCompletion(call.upstreamModel(), body);
  }

  @Override
  public StreamDecoder streamDecoder(ProviderCall call) {
    return new GeminiStreamDecoder(call.upstreamModel(), errors);
  }

  @Override
  public ProviderError fromError(int status, HttpHeaders headers, byte[] body) {
    return errors.fromHttp(status, headers, body);
  }
}
