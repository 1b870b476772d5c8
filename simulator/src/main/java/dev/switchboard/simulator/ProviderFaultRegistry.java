package dev.switchboard.simulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-provider fault configuration. When {@code failNextRequests} is set, only that many requests
 * get the status fault (status defaults to 503 if unset); afterwards the provider answers normally
 * while the other configured faults (delays, cuts, ...) keep applying. When {@code failEvery} is
 * set, every Nth request gets the status fault and the others answer with the other faults. When
 * {@code stallEvery} is set, every Nth answered request (one without a status fault) gets the stall
 * and the other answers do not.
 */
final class ProviderFaultRegistry {
  private final Map<String, ProviderFaults> byProvider = new ConcurrentHashMap<>();

  /**
   * @throws IllegalArgumentException when the spec counts failures two ways at once
   */
  void set(String provider, FaultSpec spec) {
    if (spec != null && spec.failNextRequests() != null && spec.failEvery() != null) {
      throw new IllegalArgumentException("failNextRequests and failEvery cannot be combined");
    }
    if (spec == null) {
      byProvider.remove(provider);
    } else {
      byProvider.put(provider, new ProviderFaults(spec));
    }
  }

  FaultSpec configured(String provider) {
    ProviderFaults faults = byProvider.get(provider);
    return faults == null ? null : faults.spec;
  }

  /**
   * The faults for one request: the provider's config (consuming one failure if counted) under the
   * headers'.
   */
  FaultSpec resolve(String provider, FaultSpec fromHeaders) {
    ProviderFaults faults = byProvider.get(provider);
    FaultSpec base = faults == null ? FaultSpec.NONE : faults.forNextRequest();
    return base.overriddenBy(fromHeaders);
  }

  private static final class ProviderFaults {
    final FaultSpec spec;
    final FaultSpec failing;
    final FaultSpec recovered;
    final AtomicInteger remainingFailures;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();

    ProviderFaults(FaultSpec spec) {
      this.spec = spec;
      this.failing = spec.status() == null ? spec.toBuilder().status(503).build() : spec;
      this.recovered = spec.toBuilder().status(null).body(null).retryAfterSeconds(null).build();
      this.remainingFailures =
          new AtomicInteger(spec.failNextRequests() == null ? 0 : spec.failNextRequests());
    }

    FaultSpec forNextRequest() {
      FaultSpec faults = statusFaultForNextRequest();
      if (spec.stallEvery() == null || faults.status() != null) {
        return faults;
      }
      boolean stalls = answered.incrementAndGet() % spec.stallEvery() == 0;
      return faults.toBuilder()
          .stallAfter(stalls ? (spec.stallAfter() == null ? 0 : spec.stallAfter()) : null)
          .build();
    }

    private FaultSpec statusFaultForNextRequest() {
      if (spec.failEvery() != null) {
        return requests.incrementAndGet() % spec.failEvery() == 0 ? failing : recovered;
      }
      if (spec.failNextRequests() == null) {
        return spec;
      }
      int before = remainingFailures.getAndUpdate(n -> n > 0 ? n - 1 : 0);
      return before > 0 ? failing : recovered;
    }
  }
}
