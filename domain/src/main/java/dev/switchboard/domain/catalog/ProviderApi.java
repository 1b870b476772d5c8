package dev.switchboard.domain.catalog;

import java.util.Locale;
import java.util.Optional;

/** The wire format a provider speaks. */
public enum ProviderApi {
  OPENAI,
  ANTHROPIC,
  GEMINI;

  public static Optional<ProviderApi> parse(String value) {
    for (ProviderApi api : values()) {
      if (api.wireName().equals(value)) {
        return Optional.of(api);
      }
    }
    return Optional.empty();
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
