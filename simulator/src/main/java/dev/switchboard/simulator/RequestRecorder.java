package dev.switchboard.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Keeps the most recent requests per provider, with credentials redacted so recordings are safe to
 * print.
 */
final class RequestRecorder {
  static final int CAPACITY_PER_PROVIDER = 100;
  static final String REDACTED = "***";

  private static final Set<String> SECRET_HEADERS =
      Set.of(
          "authorization",
          "proxy-authorization",
          "x-api-key",
          "x-goog-api-key",
          "api-key",
          "cookie");
  private static final Pattern KEY_PARAM = Pattern.compile("(^|&)key=[^&]*");

  private final Map<String, Deque<RecordedRequest>> byProvider = new ConcurrentHashMap<>();

  void record(
      String provider,
      String method,
      String path,
      String rawQuery,
      Map<String, String> headers,
      String body) {
    Map<String, String> safeHeaders = new TreeMap<>();
    headers.forEach(
        (name, value) -> safeHeaders.put(name, SECRET_HEADERS.contains(name) ? REDACTED : value));
    String fullPath =
        rawQuery == null ? path : path + "?" + KEY_PARAM.matcher(rawQuery).replaceAll("$1key=***");
    RecordedRequest request = new RecordedRequest(provider, method, fullPath, safeHeaders, body);
    Deque<RecordedRequest> log = byProvider.computeIfAbsent(provider, p -> new ArrayDeque<>());
    synchronized (log) {
      if (log.size() == CAPACITY_PER_PROVIDER) {
        log.removeFirst();
      }
      log.addLast(request);
    }
  }

  List<RecordedRequest> recorded(String provider) {
    Deque<RecordedRequest> log = byProvider.get(provider);
    if (log == null) {
      return List.of();
    }
    synchronized (log) {
      return List.copyOf(new ArrayList<>(log));
    }
  }

  void clear() {
    byProvider.clear();
  }
}
