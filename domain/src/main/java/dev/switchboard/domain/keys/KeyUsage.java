package dev.switchboard.domain.keys;

import dev.switchboard.domain.money.Credits;
import java.time.Instant;

/**
 * A key's spend: all time, today, this week (from Monday) and this month, in UTC; and when it was
 * last used (null before its first request).
 */
public record KeyUsage(
    Credits total, Credits daily, Credits weekly, Credits monthly, Instant lastUsedAt) {}
