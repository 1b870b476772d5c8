package dev.switchboard.domain.keys;

import dev.switchboard.domain.money.Credits;

/** A key's spend: all time, today, this week (from Monday) and this month, in UTC. */
public record KeyUsage(Credits total, Credits daily, Credits weekly, Credits monthly) {}
