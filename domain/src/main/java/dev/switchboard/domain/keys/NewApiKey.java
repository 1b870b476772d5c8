package dev.switchboard.domain.keys;

/** A key just created: the only moment its plaintext exists outside the caller's hands. */
public record NewApiKey(ApiKey key, String plaintext) {}
