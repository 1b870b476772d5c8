package dev.switchboard.api.inference;

import dev.switchboard.api.http.ApiException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * The client's side of one asynchronous inference request. Every write is serialized here (provider
 * threads and the keep-alive timer both write), and a failed write means the client has gone.
 */
final class ClientConnection {

  private final AsyncContext async;
  private final HttpServletResponse response;
  private final ClientProtocol protocol;
  private boolean streaming;
  private boolean closed;
  private boolean gone;

  ClientConnection(AsyncContext async, ClientProtocol protocol) {
    this.async = async;
    this.response = (HttpServletResponse) async.getResponse();
    this.protocol = protocol;
  }

  synchronized boolean isStreaming() {
    return streaming;
  }

  synchronized boolean isGone() {
    return gone;
  }

  /** Answers with a complete JSON body and ends the exchange. */
  synchronized void sendJson(int status, byte[] body, Map<String, String> headers) {
    if (closed || streaming) {
      return;
    }
    try {
      response.setStatus(status);
      response.setContentType("application/json");
      headers.forEach(response::setHeader);
      response.setContentLength(body.length);
      ServletOutputStream out = response.getOutputStream();
      out.write(body);
      out.flush();
    } catch (IOException e) {
      gone = true;
    } finally {
      complete();
    }
  }

  synchronized void sendError(ApiException error, String generationId) {
    Map<String, String> headers = new java.util.HashMap<>(error.headers());
    if (generationId != null) {
      headers.put("X-Generation-Id", generationId);
    }
    sendJson(error.status(), protocol.errorBody(error), headers);
  }

  /**
   * Starts the event stream (status 200, headers) unless started already.
   *
   * @return false when the client has gone
   */
  synchronized boolean startStream(String generationId) {
    if (closed) {
      return false;
    }
    if (streaming) {
      return !gone;
    }
    streaming = true;
    response.setStatus(200);
    response.setContentType("text/event-stream");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    response.setHeader("X-Generation-Id", generationId);
    // not flushed here: the headers leave with the first event, in one write
    return true;
  }

  /**
   * Writes and flushes stream bytes.
   *
   * @return false when the client has gone (the write failed)
   */
  synchronized boolean write(byte[]... frames) {
    if (closed || gone) {
      return false;
    }
    try {
      ServletOutputStream out = response.getOutputStream();
      for (byte[] frame : frames) {
        out.write(frame);
      }
      out.flush();
      return true;
    } catch (IOException e) {
      gone = true;
      return false;
    }
  }

  synchronized void complete() {
    if (!closed) {
      closed = true;
      try {
        async.complete();
      } catch (IllegalStateException e) {
        // the container already ended the exchange (client gone, timeout)
      }
    }
  }

  synchronized void markGone() {
    gone = true;
  }
}
