package dev.switchboard.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The part of the configuration contract the launcher needs, read from environment variables. */
record LauncherSettings(
    int port,
    String bindAddress,
    Path dataDirectory,
    Optional<String> externalDbUrl,
    String externalDbUser,
    String externalDbPassword,
    String externalDbAppUser,
    String externalDbAppPassword) {

  static final int DEFAULT_PORT = 8080;
  static final String DEFAULT_BIND = "127.0.0.1";
  static final String DEFAULT_DATA_DIR = "./switchboard-data";

  static LauncherSettings from(Map<String, String> env) {
    return new LauncherSettings(
        parsePort(env.getOrDefault("SWITCHBOARD_PORT", String.valueOf(DEFAULT_PORT))),
        nonBlank(env.get("SWITCHBOARD_BIND")).orElse(DEFAULT_BIND),
        Path.of(nonBlank(env.get("SWITCHBOARD_DATA_DIR")).orElse(DEFAULT_DATA_DIR))
            .toAbsolutePath()
            .normalize(),
        nonBlank(env.get("SWITCHBOARD_DB_URL")),
        env.getOrDefault("SWITCHBOARD_DB_USER", ""),
        env.getOrDefault("SWITCHBOARD_DB_PASSWORD", ""),
        env.getOrDefault("SWITCHBOARD_DB_APP_USER", "").trim(),
        env.getOrDefault("SWITCHBOARD_DB_APP_PASSWORD", ""));
  }

  private static int parsePort(String value) {
    try {
      int port = Integer.parseInt(value.trim());
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "SWITCHBOARD_PORT must be between 1 and 65535, got " + value);
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SWITCHBOARD_PORT is not a number: " + value, e);
    }
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
