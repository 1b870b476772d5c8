package dev.switchboard.api.inference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.ErrorBody;
import dev.switchboard.api.http.Json;
import dev.switchboard.api.provider.ProviderClient;
import dev.switchboard.api.provider.ProviderError;
import dev.switchboard.api.provider.StreamEvent;
import dev.switchboard.api.provider.StreamHandle;
import dev.switchboard.api.provider.StreamListener;
import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.ledger.Reservation;
import dev.switchboard.domain.ledger.ReservationRefusedException;
import dev.switchboard.domain.money.CostCalculator;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.routing.health.EndpointId;
import dev.switchboard.domain.usage.Generation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One inference request from reservation to settlement. Candidates are tried in order while nothing
 * has reached the client (silent failover on retryable errors); once content has been relayed, a
 * failure is reported in-band and never turned into a clean end. Exactly one settlement is
 * submitted per request: the generation's cost, or a plain release when nothing was produced.
 *
 * <p>Provider callbacks, the keep-alive timer and client-disconnect notifications arrive on
 * different threads; the exchange's state is guarded by its monitor.
 */
final class InferenceExchange {

  private static final Logger LOG = Logger.getLogger(InferenceExchange.class.getName());

  /** Longest an answer waits for its billing to be committed (the database being unreachable). */
  static final Duration BILLING_WAIT = Duration.ofSeconds(10);

  private final InferenceServices services;
  private final ChatRequest request;
  private final ApiKey key;
  private List<Candidate> candidates;

  /** Whether a request through the organization's own key pays the fee (its allowance is used). */
  private final boolean byokFeeDue;

  private final ClientProtocol protocol;
  private final ClientConnection client;
  private final String generationId;
  private final long startNanos;
  private final Instant createdAt;
  private final String httpReferer;
  private final String appTitle;

  private Reservation reservation;
  private Failover failover;
  private StreamHandle upstream;
  private ClientProtocol.StreamEncoder encoder;
  private ScheduledFuture<?> keepAlive;
  private boolean settled;

  /** Completes when this request's settlement is committed. */
  private CompletableFuture<Void> durable = CompletableFuture.completedFuture(null);

  /** What the current attempt has produced. */
  private final AttemptOutput output;

  /**
   * The part of the answer an attempt that broke off gave before the current one took it over
   * ({@code provider.resume}); null until then.
   */
  private AnswerPart resumedPart;

  /**
   * What a broken-off attempt had produced when another took the answer over: its text (the
   * continuation's prefill), its usage and cost, and when the answer's first token came.
   */
  private record AnswerPart(
      String text,
      UsageAccounting.Measured measured,
      Credits listCost,
      Credits charge,
      long firstTokenNanos) {}

  InferenceExchange(
      InferenceServices services,
      ChatRequest request,
      ApiKey key,
      List<Candidate> candidates,
      boolean byokFeeDue,
      ClientProtocol protocol,
      ClientConnection client,
      String httpReferer,
      String appTitle) {
    this.services = services;
    this.request = request;
    this.key = key;
    this.candidates = candidates;
    this.byokFeeDue = byokFeeDue;
    this.protocol = protocol;
    this.client = client;
    this.startNanos = System.nanoTime();
    this.createdAt = services.clock().instant();
    this.generationId = GenerationIds.next(createdAt.getEpochSecond());
    this.httpReferer = httpReferer;
    this.appTitle = appTitle;
    this.output = new AttemptOutput(request.stream() && request.provider().resume());
  }

  /**
   * Reserves the worst case over every candidate (failover may pick the dearest), then sends the
   * first attempt. When the credits cannot cover that but can cover the candidates through the
   * organization's own keys (whose worst case is the fee, or nothing within the allowance), only
   * those are tried. A refused reservation propagates as a 402 before any provider is called.
   */
  synchronized void start() {
    try {
      reservation = services.spendGate().reserve(key, worstCharge(candidates));
    } catch (ReservationRefusedException refused) {
      List<Candidate> ownKeyed = candidates.stream().filter(Candidate::byok).toList();
      if (ownKeyed.isEmpty() || ownKeyed.size() == candidates.size()) {
        throw refused;
      }
      candidates = ownKeyed;
      reservation = services.spendGate().reserve(key, worstCharge(candidates));
    }
    failover = new Failover(candidates, services.failoverLimits(), startNanos, System::nanoTime);
    if (request.stream()) {
      encoder = protocol.streamEncoder();
      long interval = services.keepAliveInterval().toMillis();
      keepAlive =
          services
              .timer()
              .scheduleAtFixedRate(
                  () -> guarded(this::keepAlive), interval, interval, TimeUnit.MILLISECONDS);
    }
    nextAttempt();
  }

  /**
   * The most the request can cost: its dearest candidate's worst case, and with {@code
   * provider.resume} the dearest continuation's on top (one answer may be made of two attempts).
   */
  private Credits worstCharge(List<Candidate> tried) {
    boolean resume = request.provider().resume();
    Credits worst = Credits.ZERO;
    Credits worstContinuation = Credits.ZERO;
    for (Candidate candidate : tried) {
      worst = max(worst, candidate.worstCharge(byokFeeDue));
      if (resume) {
        worstContinuation = max(worstContinuation, candidate.worstContinuationCharge(byokFeeDue));
      }
    }
    return worst.plus(worstContinuation);
  }

  private static Credits max(Credits a, Credits b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private void nextAttempt() {
    attempt(failover.advance());
  }

  /** The same candidate again, once its Retry-After has passed, unless the request ended. */
  private synchronized void retry(int afterAttempt) {
    if (afterAttempt != failover.attempt() || settled) {
      return;
    }
    if (client.isGone()) {
      release();
      finished(CLIENT_CLOSED);
      return;
    }
    attempt(failover.again());
  }

  private void attempt(Candidate candidate) {
    output.reset();
    int thisAttempt = failover.attempt();
    try {
      send(
          resumedPart == null
              ? candidate
              : candidate.continuing(
                  resumedPart.text(), resumedPart.measured().usage().completionTokens()),
          thisAttempt);
    } catch (IllegalArgumentException unmappable) {
      // this wire format cannot carry something in the request; another provider's may
      onFailure(
          thisAttempt,
          new ProviderError(
              ProviderError.Kind.BAD_REQUEST, 0, unmappable.getMessage(), null, true));
    }
  }

  private void send(Candidate candidate, int thisAttempt) {
    if (request.stream()) {
      upstream =
          services.providers().stream(
              candidate.wire(), candidate.call(true), new AttemptListener(thisAttempt));
    } else {
      services
          .providers()
          .complete(candidate.wire(), candidate.call(false))
          .whenComplete(
              (completion, failure) -> {
                if (failure != null) {
                  guarded(() -> onFailure(thisAttempt, ProviderClient.classify(failure)));
                } else {
                  guarded(() -> onCompletion(thisAttempt, completion));
                }
              });
    }
  }

  // ---- non-streamed
  // -------------------------------------------------------------------------------

  private synchronized void onCompletion(int forAttempt, ObjectNode completion) {
    if (forAttempt != failover.attempt() || settled) {
      return;
    }
    Candidate candidate = failover.current();
    output.answered(completion);
    UsageAccounting.Measured measured = output.measured(request.promptTokenEstimate());
    Credits listCost = CostCalculator.cost(candidate.endpoint().pricing(), measured.usage());
    Credits cost = charge(candidate, measured, listCost);
    // money first: whatever happens while answering, the spend is recorded exactly once
    settle(candidate, measured, cost, listCost, false, false);
    attemptEnded(candidate, null, measured.usage().completionTokens());
    completion.put("id", generationId);
    completion.put("object", "chat.completion");
    completion.put("created", createdAt.getEpochSecond());
    completion.put("model", candidate.model().id());
    completion.put("provider", candidate.provider().name());
    completion.set(
        "usage", UsageAccounting.usageJson(measured.usage(), cost, candidate.byok(), listCost));
    byte[] answer = protocol.response(completion);
    afterBilling(
        () -> {
          client.sendJson(200, answer, Map.of("X-Generation-Id", generationId));
          succeeded(candidate);
        });
  }

  // ---- streamed
  // ------------------------------------------------------------------------------------

  /** Receives one attempt's stream; events of an abandoned attempt are ignored. */
  private final class AttemptListener implements StreamListener {
    private final int forAttempt;

    AttemptListener(int forAttempt) {
      this.forAttempt = forAttempt;
    }

    @Override
    public void onEvents(List<StreamEvent> events) {
      guarded(() -> onStreamEvents(forAttempt, events));
    }

    @Override
    public void onFailure(ProviderError error) {
      guarded(() -> InferenceExchange.this.onFailure(forAttempt, error));
    }

    @Override
    public void onEnd() {
      guarded(() -> onStreamEnd(forAttempt));
    }
  }

  private synchronized void onStreamEvents(int forAttempt, List<StreamEvent> events) {
    if (forAttempt != failover.attempt() || settled) {
      return;
    }
    for (StreamEvent event : events) {
      if (event instanceof StreamEvent.Chunk chunk) {
        relay(chunk.chunk());
      } else if (event instanceof StreamEvent.Usage usage) {
        output.usage(usage.usage());
      } else if (event instanceof StreamEvent.Done) {
        output.done();
      } else if (event instanceof StreamEvent.Failure failure) {
        upstream.cancel();
        onFailure(forAttempt, failure.error());
        return;
      }
      if (client.isGone()) {
        clientGone();
        return;
      }
    }
  }

  private void relay(ObjectNode chunk) {
    boolean carriesOutput = output.tally(chunk);
    stamp(chunk, failover.current());
    if (!carriesOutput) {
      // a role-only opening chunk: held back until output comes, so a failure before the first
      // token can still fail over to another provider without the client seeing two starts (and
      // dropped from a continuation, whose answer has started)
      if (resumedPart == null) {
        output.holdBack(chunk);
      }
      return;
    }
    if (!client.startStream(generationId)) {
      return;
    }
    output.relayed(chunk);
    List<byte[]> frames = heldBackFrames();
    frames.addAll(encoder.chunk(chunk));
    client.write(frames.toArray(byte[][]::new));
  }

  /** The frames of the chunks held back so far, which are then no longer held. */
  private List<byte[]> heldBackFrames() {
    List<byte[]> frames = new ArrayList<>();
    for (ObjectNode held : output.takeHeldBack()) {
      frames.addAll(encoder.chunk(held));
    }
    return frames;
  }

  private synchronized void onStreamEnd(int forAttempt) {
    if (forAttempt != failover.attempt() || settled) {
      return;
    }
    if (!output.ended()) {
      // a cut stream is a failure, never a clean end of a truncated answer
      onFailure(
          forAttempt,
          ProviderError.of(
              ProviderError.Kind.CONNECTION,
              0,
              "the provider's stream ended before the answer was complete"));
      return;
    }
    Candidate candidate = failover.current();
    ObjectNode usage = settleStream(candidate, false);
    attemptEnded(candidate, null, usage.path("completion_tokens").asLong());
    ObjectNode usageChunk = baseChunk(candidate);
    usageChunk.putArray("choices");
    usageChunk.set("usage", usage);
    stopKeepAlive();
    List<byte[]> frames = heldBackFrames();
    frames.addAll(encoder.finish(usageChunk));
    afterBilling(
        () -> {
          if (client.startStream(generationId)) {
            client.write(frames.toArray(byte[][]::new));
          }
          client.complete();
          succeeded(candidate);
        });
  }

  /**
   * Ends a successful answer once its billing is durable, so that a crash never leaves an answer
   * delivered and unbilled: durable is a batch's flush to the settlement journal (group commit; see
   * {@link dev.switchboard.domain.ledger.SettlementQueue}), and the end of the answer (the whole of
   * a non-streamed one; the usage chunk and {@code [DONE]} of a stream) is written on an answer
   * thread when it completes. Should that take longer than {@link #BILLING_WAIT} (no journal, and
   * the database unreachable), the answer ends anyway and the settlement stays queued.
   */
  private void afterBilling(Runnable answer) {
    durable
        .completeOnTimeout(null, BILLING_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .whenCompleteAsync((committed, failure) -> guarded(answer), services.answers());
  }

  /**
   * The client went away mid-stream, or was cut for not reading it: stop the provider and bill what
   * was produced. A client that was cut is told so in-band, after what it has not read yet.
   */
  private void clientGone() {
    if (settled) {
      return;
    }
    stopKeepAlive();
    if (upstream != null) {
      upstream.cancel();
    }
    Candidate candidate = failover.current();
    ObjectNode usage = settleStreamOrRelease(candidate, true);
    if (client.wasCut()) {
      ObjectNode errorChunk =
          errorChunk(
              candidate,
              408,
              "the answer was cut: the client did not read it as fast as it was produced");
      if (usage != null) {
        errorChunk.set("usage", usage);
      }
      client.farewell(encoder.error(errorChunk).toArray(byte[][]::new));
    }
    client.complete();
    finished(CLIENT_CLOSED);
  }

  /** Called by the servlet container when the client connection fails or closes. */
  void onClientDisconnected() {
    guarded(
        () -> {
          synchronized (this) {
            client.markGone();
            if (request.stream()) {
              clientGone();
            }
          }
        });
  }

  /**
   * Runs a callback from a provider, timer or container thread. Those threads swallow exceptions,
   * so a bug here would leave the client waiting and the reservation held: log it, release what is
   * not settled, and end the exchange with an error.
   */
  private void guarded(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "inference exchange " + generationId + " failed", e);
      synchronized (this) {
        stopKeepAlive();
        if (upstream != null) {
          upstream.cancel();
        }
        release();
        if (client.isStreaming()) {
          client.write(SseFrames.data(Json.bytes(ErrorBody.of(500, "Internal error", Map.of()))));
          client.complete();
        } else {
          client.sendError(new ApiException(500, "Internal error"), generationId);
        }
      }
    }
  }

  private void keepAlive() {
    synchronized (this) {
      if (settled || output.relayedAny()) {
        return;
      }
      if (!client.startStream(generationId) || !client.write(SseFrames.PROCESSING)) {
        clientGone();
      }
    }
  }

  private void stopKeepAlive() {
    if (keepAlive != null) {
      keepAlive.cancel(false);
    }
  }

  // ---- failures
  // ------------------------------------------------------------------------------------

  private synchronized void onFailure(int forAttempt, ProviderError error) {
    if (forAttempt != failover.attempt() || settled) {
      return;
    }
    record(
        () ->
            services
                .metrics()
                .upstreamFailed(
                    failover.current().provider().slug(),
                    error.kind().name().toLowerCase(Locale.ROOT)));
    attemptEnded(failover.current(), error, 0);
    boolean nothingRelayed = !output.relayedAny();
    String prefill = nothingRelayed ? null : resumableText();
    Failover.Next next =
        failover.failed(error, (nothingRelayed || prefill != null) && !client.isGone());
    if (next instanceof Failover.Next.NextCandidate) {
      if (prefill != null) {
        keepBrokenOffPart(prefill);
      }
      nextAttempt();
      return;
    }
    if (next instanceof Failover.Next.SameAfter after) {
      if (prefill != null) {
        keepBrokenOffPart(prefill);
      }
      int failed = failover.attempt();
      services
          .timer()
          .schedule(
              () -> guarded(() -> retry(failed)), after.delay().toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    Candidate candidate = failover.current();
    stopKeepAlive();
    if (nothingRelayed && !client.isStreaming()) {
      Map<String, Object> metadata = new HashMap<>();
      metadata.put("provider_name", candidate.provider().name());
      metadata.put("upstream_status", error.upstreamStatus());
      Map<String, String> headers = new HashMap<>();
      if (error.retryAfter() != null) {
        headers.put("Retry-After", String.valueOf(error.retryAfter().toSeconds()));
      }
      release();
      client.sendError(
          new ApiException(
              error.clientStatus(),
              candidate.provider().name() + ": " + error.message(),
              metadata,
              headers),
          generationId);
      finished(error.clientStatus());
      return;
    }
    // the stream has started: report in-band, with finish_reason "error", and end it
    ObjectNode errorChunk =
        errorChunk(
            candidate, error.clientStatus(), candidate.provider().name() + ": " + error.message());
    output.failedInBand();
    ObjectNode usage = settleStreamOrRelease(candidate, false);
    if (usage != null) {
      errorChunk.set("usage", usage);
    }
    client.write(encoder.error(errorChunk).toArray(byte[][]::new));
    client.complete();
    finished(200);
  }

  /**
   * The text of the current attempt, broken off after relaying some of the answer, when another may
   * continue it ({@code provider.resume}): once per request, and only an answer of text so far (a
   * half-made tool call cannot be prefilled); otherwise null.
   */
  private String resumableText() {
    if (!request.stream() || !request.provider().resume() || resumedPart != null) {
      return null;
    }
    String text = output.relayedTextOnly();
    return text == null || text.isEmpty() ? null : text;
  }

  /**
   * Keeps what the broken-off attempt produced ({@code text}, the continuation's prefill) for the
   * continuation and the bill: the client has it, so it is paid for, unless the answer as a whole
   * fails.
   */
  private void keepBrokenOffPart(String text) {
    Candidate candidate = failover.current();
    UsageAccounting.Measured measured = output.measured(request.promptTokenEstimate());
    Credits listCost = CostCalculator.cost(candidate.endpoint().pricing(), measured.usage());
    Credits charge =
        measured.usage().completionTokens() == 0
            ? Credits.ZERO
            : candidate.charge(listCost, byokFeeDue);
    resumedPart = new AnswerPart(text, measured, listCost, charge, output.firstTokenNanos());
  }

  /**
   * Status recorded for a client that closed the connection before the answer ended (nginx's 499).
   */
  private static final int CLIENT_CLOSED = 499;

  private void finished(int status) {
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    record(() -> services.metrics().requestFinished(protocol.apiType().wireName(), status, took));
  }

  private void succeeded(Candidate candidate) {
    record(
        () ->
            services.metrics().upstreamSucceeded(candidate.provider().slug(), timeToFirstToken()));
    finished(200);
  }

  /** Metrics are best effort: a failure to record one must never touch the request or its money. */
  private static void record(Runnable metric) {
    try {
      metric.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "recording a metric failed", e);
    }
  }

  /**
   * Tells the endpoint's health how the current attempt ended: a success ({@code error} null), or a
   * failure that blames the endpoint. The caller's own errors do not count, nor do attempts through
   * an organization's own key (its key and base URL say nothing about the platform's).
   */
  private void attemptEnded(Candidate candidate, ProviderError error, long outputTokens) {
    if (error == null) {
      services.sticky().remember(StickyRoutes.conversation(key.orgId(), request), candidate);
    }
    if (candidate.byok() || (error != null && !error.blamesEndpoint())) {
      return;
    }
    EndpointId endpoint = EndpointId.of(candidate.endpoint());
    if (error != null) {
      record(() -> services.health().failed(endpoint));
      return;
    }
    long now = System.nanoTime();
    long attemptStartNanos = failover.attemptStartNanos();
    long latencyMillis = TimeUnit.NANOSECONDS.toMillis(now - attemptStartNanos);
    long firstTokenNanos = output.firstTokenNanos();
    long firstTokenMillis =
        firstTokenNanos == 0
            ? -1
            : TimeUnit.NANOSECONDS.toMillis(firstTokenNanos - attemptStartNanos);
    // a non-streamed answer arrives whole: its tokens are counted over the attempt's whole time
    // (0 here), not over the instant between its arrival and this line
    long generationMillis =
        !request.stream() || firstTokenNanos == 0
            ? 0
            : TimeUnit.NANOSECONDS.toMillis(now - firstTokenNanos);
    record(
        () ->
            services
                .health()
                .succeeded(
                    endpoint, latencyMillis, firstTokenMillis, generationMillis, outputTokens));
  }

  private Duration timeToFirstToken() {
    long firstTokenNanos = output.firstTokenNanos();
    return firstTokenNanos == 0 ? null : Duration.ofNanos(firstTokenNanos - startNanos);
  }

  // ---- settlement
  // ----------------------------------------------------------------------------------

  /**
   * Bills what the current attempt's stream produced (the provider's usage, or an estimate) and
   * returns the usage object clients see.
   */
  private ObjectNode settleStream(Candidate candidate, boolean cancelled) {
    long promptEstimate =
        request.promptTokenEstimate()
            + (resumedPart == null
                ? 0
                : UsageAccounting.estimateTokens(resumedPart.text().length()));
    UsageAccounting.Measured measured = output.measured(promptEstimate);
    Credits listCost = CostCalculator.cost(candidate.endpoint().pricing(), measured.usage());
    Credits cost = charge(candidate, measured, listCost);
    if (resumedPart != null) {
      // one answer made of two attempts: both parts billed, or neither when it failed
      measured =
          new UsageAccounting.Measured(
              resumedPart.measured().usage().plus(measured.usage()),
              resumedPart.measured().estimated() || measured.estimated());
      listCost = resumedPart.listCost().plus(listCost);
      if (!output.failed()) {
        cost = resumedPart.charge().plus(cost);
      }
    }
    settle(candidate, measured, cost, listCost, true, cancelled);
    return UsageAccounting.usageJson(measured.usage(), cost, candidate.byok(), listCost);
  }

  /**
   * What the organization pays for the current attempt: nothing when it produced no output tokens
   * or failed (zero-completion insurance: the platform bears the provider's list price of a failed
   * answer), otherwise the candidate's charge. A stream the client left is not a failure.
   */
  private Credits charge(Candidate candidate, UsageAccounting.Measured measured, Credits listCost) {
    if (measured.usage().completionTokens() == 0 || output.failed()) {
      return Credits.ZERO;
    }
    return candidate.charge(listCost, byokFeeDue);
  }

  /**
   * A stream that ended early: settled for what it produced (see {@link #charge}) and its usage
   * object returned, or released when it produced nothing (null).
   */
  private ObjectNode settleStreamOrRelease(Candidate candidate, boolean cancelled) {
    if (!output.relayedAny() && output.usage() == null && resumedPart == null) {
      release();
      return null;
    }
    return settleStream(candidate, cancelled);
  }

  private void settle(
      Candidate candidate,
      UsageAccounting.Measured measured,
      Credits cost,
      Credits listCost,
      boolean streamed,
      boolean cancelled) {
    if (settled) {
      return;
    }
    settled = true;
    long now = System.nanoTime();
    long latencyMillis = TimeUnit.NANOSECONDS.toMillis(now - startNanos);
    long firstToken =
        resumedPart == null ? output.firstTokenNanos() : resumedPart.firstTokenNanos();
    Long ttftMillis =
        firstToken == 0 ? null : TimeUnit.NANOSECONDS.toMillis(firstToken - startNanos);
    long generationMillis = firstToken == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(now - firstToken);
    Generation generation =
        new Generation(
            generationId,
            key.orgId(),
            key.id(),
            candidate.model().id(),
            candidate.provider().slug(),
            candidate.endpoint().upstreamModel(),
            candidate.priceId(),
            measured.usage(),
            measured.estimated(),
            cost,
            reservation.amount(),
            candidate.byok(),
            listCost,
            latencyMillis,
            generationMillis,
            ttftMillis,
            streamed,
            cancelled,
            output.finishReason(),
            output.nativeFinishReason(),
            protocol.apiType().wireName(),
            httpReferer,
            appTitle,
            createdAt,
            failover.responsesAnsweredByCurrent());
    durable = services.spendGate().settle(reservation, generation);
    long overage = cost.nanos() - reservation.amount().nanos();
    if (overage > 0) {
      // billed in full: the only way a request takes a balance below what was available
      record(() -> services.metrics().reservationOverage(overage));
    }
  }

  private void release() {
    if (!settled) {
      settled = true;
      services.spendGate().release(reservation);
    }
  }

  // ---- helpers
  // -------------------------------------------------------------------------------------

  private ObjectNode baseChunk(Candidate candidate) {
    return stamp(Json.MAPPER.createObjectNode(), candidate);
  }

  /** Gives a chunk this answer's id, creation time and model, and the answering provider. */
  private ObjectNode stamp(ObjectNode chunk, Candidate candidate) {
    chunk.put("id", generationId);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", createdAt.getEpochSecond());
    chunk.put("model", candidate.model().id());
    chunk.put("provider", candidate.provider().name());
    return chunk;
  }

  /** An in-band error event: the error, and a choice that ends with finish_reason "error". */
  private ObjectNode errorChunk(Candidate candidate, int code, String message) {
    ObjectNode chunk = baseChunk(candidate);
    ObjectNode body = chunk.putObject("error");
    body.put("code", code);
    body.put("message", message);
    body.putObject("metadata").put("provider_name", candidate.provider().name());
    ArrayNode choices = chunk.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.putObject("delta").put("content", "");
    choice.put("finish_reason", "error");
    return chunk;
  }

  String generationId() {
    return generationId;
  }
}
