package dev.switchboard.api.inference;

import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.metrics.GatewayMetrics;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The client's side of one asynchronous inference request, written without ever blocking a thread
 * (Servlet non-blocking output). Bytes the connection cannot take yet wait here, in order, and
 * leave when the container says it can write again; a client that lets more than {@link
 * Limits#bufferBytes} wait, or takes nothing for {@link Limits#writeTimeout} while bytes wait, is
 * cut. So a reader that is slow or never reads holds a bounded amount of memory and no thread, and
 * the other streams do not notice it.
 *
 * <p>Every method is serialized on this object (provider threads, the keep-alive timer and the
 * container's write notifications all come here). The owner learns that the client has gone, or was
 * cut, from the return value of {@link #write} or, when that happens between writes (a failed write
 * reported by the container, the write timeout), from the callback given to {@link #onGone}, which
 * is called without this object's lock held.
 */
final class ClientConnection implements WriteListener {

  /** How much may wait for a client, and for how long. */
  record Limits(int bufferBytes, Duration writeTimeout) {}

  private final AsyncContext async;
  private final HttpServletResponse response;
  private final ClientProtocol protocol;
  private final Limits limits;
  private final ScheduledExecutorService timer;
  private final GatewayMetrics metrics;

  private ServletOutputStream out;
  private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();
  private long waitingBytes;
  private boolean flushDue;

  /** When the running watch for a client that takes nothing began (0: none is running). */
  private long blockedSinceNanos;

  private boolean streaming;
  private boolean completing;
  private boolean closed;
  private boolean gone;
  private boolean cut;
  private Runnable goneCallback = () -> {};

  ClientConnection(
      AsyncContext async,
      ClientProtocol protocol,
      Limits limits,
      ScheduledExecutorService timer,
      GatewayMetrics metrics) {
    this.async = async;
    this.response = (HttpServletResponse) async.getResponse();
    this.protocol = protocol;
    this.limits = limits;
    this.timer = timer;
    this.metrics = metrics;
  }

  /** What to do when the client turns out to have gone while no write was being made. */
  synchronized void onGone(Runnable callback) {
    this.goneCallback = callback;
  }

  synchronized boolean isStreaming() {
    return streaming;
  }

  /** Answers with a complete JSON body and ends the exchange. */
  synchronized void sendJson(int status, byte[] body, Map<String, String> headers) {
    if (closed || completing || streaming || cut) {
      return;
    }
    response.setStatus(status);
    response.setContentType("application/json");
    headers.forEach(response::setHeader);
    response.setContentLength(body.length);
    // the body is in memory already: it waits whole, however slowly it is read
    append(body);
    drain();
    complete();
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
    if (closed || completing) {
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
   * Sends bytes to the client, now if it can take them, otherwise as soon as it can.
   *
   * @return false when the client has gone, or has been cut for letting too much wait
   */
  synchronized boolean write(byte[]... frames) {
    if (closed || completing || gone || cut) {
      return false;
    }
    append(frames);
    if (waitingBytes > limits.bufferBytes()) {
      // the bytes the connection already refused, plus these, are more than a client may hold
      cut("buffer");
      return false;
    }
    drain();
    return !gone && !cut;
  }

  /**
   * The last bytes for a client that was cut (see {@link #wasCut}), so that the client, should it
   * read on, learns that its answer was cut. Should it take nothing for another write timeout, the
   * exchange ends without them.
   */
  synchronized void farewell(byte[]... frames) {
    if (closed || completing || gone || !cut) {
      return;
    }
    append(frames);
    drain();
  }

  /**
   * Ends the exchange once what waits has been written; a client that has gone, or takes nothing
   * for the write timeout, is left without it.
   */
  synchronized void complete() {
    if (closed) {
      return;
    }
    completing = true;
    if (gone || waiting.isEmpty() && !flushDue) {
      close();
    }
  }

  /** The client is gone, or was cut for not reading: it is sent nothing more of the answer. */
  synchronized boolean isGone() {
    return gone || cut;
  }

  /** The container has reported the client's connection closed or failed. */
  synchronized void markGone() {
    gone = true;
  }

  /** Whether the client was cut for not reading (and may be told so by {@link #farewell}). */
  synchronized boolean wasCut() {
    return cut && !gone;
  }

  // ---- the container's notifications
  // ---------------------------------------------------------------

  @Override
  public void onWritePossible() {
    synchronized (this) {
      drain();
    }
  }

  @Override
  public void onError(Throwable failure) {
    boolean wasGone;
    synchronized (this) {
      wasGone = gone || cut;
      gone = true;
      waiting.clear();
      if (completing) {
        close();
      }
    }
    if (!wasGone) {
      goneCallback.run();
    }
  }

  // ---- inside
  // --------------------------------------------------------------------------------------

  private void append(byte[]... frames) {
    for (byte[] frame : frames) {
      waiting.add(frame);
      waitingBytes += frame.length;
    }
    flushDue = true;
  }

  /**
   * Writes what waits while the connection can take it without blocking, then flushes; leaves the
   * rest for {@link #onWritePossible}, which the container calls once the connection drains.
   */
  private void drain() {
    if (closed || gone) {
      return;
    }
    try {
      ServletOutputStream stream = output();
      boolean tookSome = false;
      while (stream.isReady()) {
        byte[] next = waiting.poll();
        if (next != null) {
          stream.write(next);
          waitingBytes -= next.length;
          tookSome = true;
        } else if (flushDue) {
          flushDue = false;
          stream.flush();
        } else {
          blockedSinceNanos = 0;
          if (completing) {
            close();
          }
          return;
        }
      }
      if (tookSome) {
        blockedSinceNanos = 0;
      }
      watchForStall();
    } catch (IOException | IllegalStateException e) {
      // the connection failed, or was ended by the container: the client has gone
      gone = true;
      waiting.clear();
      if (completing) {
        close();
      }
    }
  }

  private ServletOutputStream output() throws IOException {
    if (out == null) {
      out = response.getOutputStream();
      out.setWriteListener(this);
    }
    return out;
  }

  /**
   * The connection has refused bytes: unless it takes some within the write timeout, the client is
   * cut. A watch that finds the connection has taken bytes since it began does nothing (a later
   * refusal begins another).
   */
  private void watchForStall() {
    if (blockedSinceNanos != 0) {
      return;
    }
    long since = System.nanoTime();
    blockedSinceNanos = since;
    timer.schedule(() -> stalled(since), limits.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void stalled(long since) {
    synchronized (this) {
      if (blockedSinceNanos != since || closed || gone) {
        return;
      }
      if (cut) {
        // not even its last words have left: give up on it
        gone = true;
        waiting.clear();
        close();
        return;
      }
      cut("timeout");
      // the farewell gets a write timeout of its own
      blockedSinceNanos = 0;
      watchForStall();
    }
    goneCallback.run();
  }

  /**
   * Stops the answer for a client that does not read it; the exchange then ends it. What the
   * container has not taken yet is dropped, so the {@link #farewell} follows straight on from what
   * the client can still read: a whole prefix of the answer, then the news that it was cut.
   */
  private void cut(String reason) {
    try {
      metrics.slowClientCut(reason);
    } catch (RuntimeException e) {
      // a metric is never worth failing the exchange for
    }
    cut = true;
    waiting.clear();
    waitingBytes = 0;
    flushDue = false;
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    waiting.clear();
    try {
      async.complete();
    } catch (IllegalStateException e) {
      // the container already ended the exchange (client gone, timeout)
    }
  }
}
