package dev.switchboard.domain.keys;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Optional;

/**
 * When a key's spending limit starts over: at midnight UTC, on Mondays, or on the 1st of the month.
 */
public enum LimitReset {
  DAILY,
  WEEKLY,
  MONTHLY;

  public static Optional<LimitReset> parse(String value) {
    for (LimitReset reset : values()) {
      if (reset.wireName().equals(value)) {
        return Optional.of(reset);
      }
    }
    return Optional.empty();
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The start of the period that contains {@code now}. */
  public Instant periodStart(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    LocalDate start =
        switch (this) {
          case DAILY -> today;
          case WEEKLY -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
          case MONTHLY -> today.withDayOfMonth(1);
        };
    return start.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The start of the next period: when the limit resets. */
  public Instant nextPeriodStart(Instant now) {
    LocalDate start = LocalDate.ofInstant(periodStart(now), ZoneOffset.UTC);
    LocalDate next =
        switch (this) {
          case DAILY -> start.plusDays(1);
          case WEEKLY -> start.plusWeeks(1);
          case MONTHLY -> start.plusMonths(1);
        };
    return next.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
