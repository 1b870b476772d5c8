package dev.switchboard.api.catalog;

/**
 * Whether a provider can be called, and if not, why (shown to users instead of skipping it
 * silently).
 */
public record ProviderAvailability(boolean available, String reason) {

  public static final ProviderAvailability AVAILABLE = new ProviderAvailability(true, null);

  public static ProviderAvailability unavailable(String reason) {
    return new ProviderAvailability(false, reason);
  }
}
