package dev.switchboard.api.inference;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Sticky routing for providers' prompt caches: a conversation's next request goes first to the
 * endpoint (and key: the organization's own or the platform's, whose caches differ) that answered
 * its last one, as long as the conversation is not idle for {@value #IDLE_MINUTES} minutes and the
 * endpoint stays healthy. Only under the default order: a caller's {@code provider.order} or sort
 * decides for itself. In memory on each instance, at most {@value #MAX_CONVERSATIONS} conversations
 * (the idle ones dropped first when full).
 */
final class StickyRoutes {

  static final int IDLE_MINUTES = 10;
  static final int MAX_CONVERSATIONS = 100_000;
  private static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(IDLE_MINUTES);

  private record Stuck(String endpoint, long lastUsedNanos) {}

  private static final long SWEEP_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ConcurrentHashMap<String, Stuck> routes = new ConcurrentHashMap<>();
  private final LongSupplier nanos;
  private final AtomicLong lastSweepNanos;

  StickyRoutes(LongSupplier nanos) {
    this.nanos = nanos;
    this.lastSweepNanos = new AtomicLong(nanos.getAsLong() - SWEEP_INTERVAL_NANOS - 1);
  }

  /** The key of a request's conversation: its organization's, so tenants never share one. */
  static String conversation(Object organization, ChatRequest request) {
    return request.conversation() == null ? null : organization + "|" + request.conversation();
  }

  /**
   * The candidates with the conversation's endpoint first, when the request takes the default order
   * (no {@code provider.order}, no sort, no {@code :floor} or {@code :nitro}) and that endpoint is
   * one of its first model's and {@code healthy}; otherwise as they are.
   */
  List<Candidate> prefer(
      String conversation,
      ChatRequest request,
      List<Candidate> candidates,
      Predicate<Candidate> healthy) {
    ProviderPreferences prefs = request.provider();
    if (conversation == null
        || !prefs.order().isEmpty()
        || prefs.sort() != null
        || RoutePlanner.ordersByVariant(request.models().get(0))) {
      return candidates;
    }
    Stuck stuck = routes.get(conversation);
    if (stuck == null || nanos.getAsLong() - stuck.lastUsedNanos() > IDLE_NANOS) {
      return candidates;
    }
    String firstModel = candidates.get(0).model().id();
    for (int i = 1; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      if (!c.model().id().equals(firstModel)) {
        break;
      }
      if (endpointOf(c).equals(stuck.endpoint())) {
        return healthy.test(c) ? RoutePlanner.firstAt(candidates, i) : candidates;
      }
    }
    return candidates;
  }

  /** The conversation's last request was answered by {@code answered}. */
  void remember(String conversation, Candidate answered) {
    if (conversation == null) {
      return;
    }
    long now = nanos.getAsLong();
    if (routes.size() >= MAX_CONVERSATIONS && !routes.containsKey(conversation)) {
      long last = lastSweepNanos.get();
      // one sweep a second at most: a map full of live conversations is not scanned per request
      if (now - last > SWEEP_INTERVAL_NANOS && lastSweepNanos.compareAndSet(last, now)) {
        routes.values().removeIf(s -> now - s.lastUsedNanos() > IDLE_NANOS);
      }
      if (routes.size() >= MAX_CONVERSATIONS) {
        return; // full of live conversations: this one is not remembered
      }
    }
    routes.put(conversation, new Stuck(endpointOf(answered), now));
  }

  private static String endpointOf(Candidate candidate) {
    return candidate.endpoint().priceKey() + (candidate.byok() ? "#own" : "");
  }
}
