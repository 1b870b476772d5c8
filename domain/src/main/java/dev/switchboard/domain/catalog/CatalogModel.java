package dev.switchboard.domain.catalog;

import java.util.List;

/** A model ({@code author/slug}) and the endpoints that serve it. */
public record CatalogModel(
    String id,
    String name,
    String description,
    int contextLength,
    List<CatalogEndpoint> endpoints) {

  public CatalogModel {
    endpoints = List.copyOf(endpoints);
  }

  public String author() {
    return id.substring(0, id.indexOf('/'));
  }

  public String slug() {
    return id.substring(id.indexOf('/') + 1);
  }
}
