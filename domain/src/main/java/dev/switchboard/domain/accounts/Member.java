package dev.switchboard.domain.accounts;

import java.time.Instant;

/** A member of an organization, as its Members page lists them. */
public record Member(
    UserId userId, String email, String displayName, Role role, Instant joinedAt) {}
