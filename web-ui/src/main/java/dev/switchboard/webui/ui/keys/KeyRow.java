package dev.switchboard.webui.ui.keys;

import dev.switchboard.domain.keys.ApiKey;
import dev.switchboard.domain.keys.KeyUsage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One key as the Keys page lists it. */
record KeyRow(ApiKey key, String workspace, KeyUsage usage, Instant now) {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

  String name() {
    return key.name();
  }

  String label() {
    return key.label();
  }

  String limit() {
    if (key.limit() == null) {
      return "none";
    }
    String reset = key.limitReset() == null ? "" : " " + key.limitReset().wireName();
    return key.limit().toString() + reset + " (" + key.limitRemaining(now) + " left)";
  }

  String usageToday() {
    return usage.daily().toString();
  }

  String usageWeek() {
    return usage.weekly().toString();
  }

  String usageMonth() {
    return usage.monthly().toString();
  }

  String status() {
    if (key.disabled()) {
      return "disabled";
    }
    return key.isExpired(now) ? "expired" : "active";
  }

  String lastUsed() {
    return usage.lastUsedAt() == null
        ? "never"
        : MINUTE.format(usage.lastUsedAt().atZone(ZoneOffset.UTC));
  }

  String created() {
    return DAY.format(key.createdAt().atZone(ZoneOffset.UTC));
  }
}
