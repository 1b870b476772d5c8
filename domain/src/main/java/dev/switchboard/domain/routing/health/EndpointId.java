package dev.switchboard.domain.routing.health;

import dev.switchboard.domain.catalog.CatalogEndpoint;

/** A catalog endpoint: one provider serving one model. */
public record EndpointId(String model, String provider) {

  public static EndpointId of(CatalogEndpoint endpoint) {
    return new EndpointId(endpoint.modelId(), endpoint.providerSlug());
  }
}
