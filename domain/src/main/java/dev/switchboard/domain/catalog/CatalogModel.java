package dev.switchboard.domain.catalog;

import java.util.List;

/**
 * A model ({@code author/slug}), the endpoints that serve it, and what it takes as input ({@code
 * text}, {@code image}, {@code file}, {@code audio}; text alone unless the catalog says more).
 */
public record CatalogModel(
    String id,
    String name,
    String description,
    int contextLength,
    List<CatalogEndpoint> endpoints,
    List<String> inputModalities) {

  /** What a model takes when the catalog does not say. */
  public static final List<String> TEXT_ONLY = List.of("text");

  public CatalogModel {
    endpoints = List.copyOf(endpoints);
    inputModalities = List.copyOf(inputModalities);
  }

  public CatalogModel(
      String id,
      String name,
      String description,
      int contextLength,
      List<CatalogEndpoint> endpoints) {
    this(id, name, description, contextLength, endpoints, TEXT_ONLY);
  }

  /** The same model served by other endpoints (a variant of it), under another id and name. */
  public CatalogModel servedBy(String otherId, String otherName, List<CatalogEndpoint> others) {
    return new CatalogModel(
        otherId, otherName, description, contextLength, others, inputModalities);
  }

  public boolean takesImages() {
    return inputModalities.contains("image");
  }

  public String author() {
    return id.substring(0, id.indexOf('/'));
  }

  public String slug() {
    return id.substring(id.indexOf('/') + 1);
  }
}
