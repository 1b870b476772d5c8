package dev.switchboard.domain.routing.health;

import java.util.Locale;

/** Where an endpoint's circuit breaker stands. */
public enum BreakerState {
  /** Traffic flows; failures are being counted. */
  CLOSED,
  /** Probes are let through to see whether the endpoint has recovered. */
  HALF_OPEN,
  /** The endpoint failed too much: no traffic until the cool-down ends. */
  OPEN;

  /** The state as the API and metrics name it: {@code closed}, {@code half_open}, {@code open}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
