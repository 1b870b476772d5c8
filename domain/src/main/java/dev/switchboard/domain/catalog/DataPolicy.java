package dev.switchboard.domain.catalog;

/** What a provider does with prompts: whether it trains on them and whether it keeps them. */
public record DataPolicy(boolean training, boolean retainsPrompts) {

  public static final DataPolicy PRIVATE = new DataPolicy(false, false);
}
