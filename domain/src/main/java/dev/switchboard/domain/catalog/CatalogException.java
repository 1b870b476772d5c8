package dev.switchboard.domain.catalog;

import java.util.List;

/** A catalog that cannot be served; each problem names the file, the entry and the field. */
public final class CatalogException extends RuntimeException {

  private final List<String> problems;

  public CatalogException(String source, List<String> problems) {
    super("catalog " + source + " is invalid:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
