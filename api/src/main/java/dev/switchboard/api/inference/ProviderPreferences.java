package dev.switchboard.api.inference;

import java.util.List;

/**
 * The request's {@code provider} object (OpenRouter's routing preferences), as far as Switchboard
 * honours it: an explicit order, only/ignore lists, whether to fall back beyond them, whether every
 * parameter must be supported, and a sort.
 */
public record ProviderPreferences(
    List<String> order,
    List<String> only,
    List<String> ignore,
    boolean allowFallbacks,
    boolean requireParameters,
    String sort) {

  public static final ProviderPreferences DEFAULT =
      new ProviderPreferences(List.of(), List.of(), List.of(), true, false, null);
}
