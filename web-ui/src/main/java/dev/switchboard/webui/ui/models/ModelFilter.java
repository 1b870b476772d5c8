package dev.switchboard.webui.ui.models;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the models list is narrowed to. Every criterion left empty lets every model through; the
 * others must all hold.
 *
 * @param text part of the model's name or id, any case
 * @param providerSlugs the model must be served by at least one of these providers
 * @param maxPromptPerMillion highest prompt price of the listed (cheapest) endpoint, nano-USD per
 *     million tokens
 * @param minContextLength smallest acceptable context length in tokens
 */
public record ModelFilter(
    String text, Set<String> providerSlugs, Long maxPromptPerMillion, Integer minContextLength) {

  public static final ModelFilter NONE = new ModelFilter("", Set.of(), null, null);

  public ModelFilter {
    text = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    providerSlugs = providerSlugs == null ? Set.of() : Set.copyOf(providerSlugs);
  }

  public ModelFilter withText(String newText) {
    return new ModelFilter(newText, providerSlugs, maxPromptPerMillion, minContextLength);
  }

  public ModelFilter withProviders(Set<String> slugs) {
    return new ModelFilter(text, slugs, maxPromptPerMillion, minContextLength);
  }

  public ModelFilter withMaxPromptPerMillion(Long nanosPerMillion) {
    return new ModelFilter(text, providerSlugs, nanosPerMillion, minContextLength);
  }

  public ModelFilter withMinContextLength(Integer tokens) {
    return new ModelFilter(text, providerSlugs, maxPromptPerMillion, tokens);
  }

  public boolean matches(ModelRow row) {
    return matchesText(row)
        && (providerSlugs.isEmpty()
            || row.providers().stream().anyMatch(p -> providerSlugs.contains(p.slug())))
        && (maxPromptPerMillion == null || row.promptPerMillion() <= maxPromptPerMillion)
        && (minContextLength == null || row.contextLength() >= minContextLength);
  }

  public List<ModelRow> apply(Collection<ModelRow> rows) {
    return rows.stream().filter(this::matches).toList();
  }

  private boolean matchesText(ModelRow row) {
    return text.isEmpty()
        || row.name().toLowerCase(Locale.ROOT).contains(text)
        || row.id().toLowerCase(Locale.ROOT).contains(text);
  }
}
