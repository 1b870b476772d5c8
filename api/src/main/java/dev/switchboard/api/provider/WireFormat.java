package dev.switchboard.api.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;

/**
 * One provider wire format (OpenAI, Anthropic, Gemini): how to ask, and how to read the answer back
 * into Switchboard's (OpenAI) shape. Pure functions of their inputs; no I/O.
 */
public interface WireFormat {

  /** The HTTP request for a call: URL from the provider's base URL, auth headers, body. */
  HttpRequest toHttpRequest(ProviderCall call);

  /**
   * A successful non-streamed body as an OpenAI {@code chat.completion} object ({@code choices}
   * with {@code message} and {@code finish_reason}, and {@code usage} when the provider reported
   * it).
   *
   * @throws ProviderException when the body cannot be read
   */
  ObjectNode fromResponse(ProviderCall call, byte[] body) throws ProviderException;

  /** A decoder for one streamed answer. */
  StreamDecoder streamDecoder(ProviderCall call);

  /** An error status and body as a classified error. */
  ProviderError fromError(int status, HttpHeaders headers, byte[] body);
}
