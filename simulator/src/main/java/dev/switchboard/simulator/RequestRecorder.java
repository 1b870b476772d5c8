package dev.switchboard.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLDecoder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
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
    RecordedRequest request =
        new RecordedRequest(
            provider, method, fullPath, safeHeaders, body, credential(headers, rawQuery));
    Deque<RecordedRequest> log = byProvider.computeIfAbsent(provider, p -> new ArrayDeque<>());
    synchronized (log) {
      if (log.size() == CAPACITY_PER_PROVIDER) {
        log.removeFirst();
      }
      log.addLast(request);
    }
  }

  private static String credential(Map<String, String> headers, String rawQuery) {
    String authorization = headers.get("authorization");
    String value =
        authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            ? authorization.substring(7)
            : headers.getOrDefault("x-api-key", headers.get("x-goog-api-key"));
    if (value == null && rawQuery != null) {
      Matcher key = KEY_PARAM.matcher(rawQuery);
      if (key.find()) {
        value = URLDecoder.decode(key.group().substring(key.group().indexOf('=') + 1), UTF_8);
      }
    }
    return value == null ? null : RecordedRequest.fingerprint(value);
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
