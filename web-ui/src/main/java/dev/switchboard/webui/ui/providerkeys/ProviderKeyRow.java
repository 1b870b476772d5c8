package dev.switchboard.webui.ui.providerkeys;

import dev.switchboard.domain.byok.ProviderKey;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * One provider key as the page lists it: never the secret, only its last four characters.
 *
 * @param providerName the catalog's name for the provider, empty when the catalog no longer has it
 */
record ProviderKeyRow(ProviderKey key, Optional<String> providerName) {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;

  String provider() {
    return providerName.map(name -> name + " (" + key.provider() + ")").orElse(key.provider());
  }

  String baseUrl() {
    return key.baseUrl().orElse("provider default");
  }

  String last4() {
    return "…" + key.last4();
  }

  String alwaysUse() {
    return key.alwaysUse() ? "yes" : "no";
  }

  String added() {
    return DAY.format(key.createdAt().atZone(ZoneOffset.UTC));
  }
}
