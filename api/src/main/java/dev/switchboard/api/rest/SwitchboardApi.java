package dev.switchboard.api.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The REST application at {@code /api/v1}. */
@ApplicationPath("/api/v1")
public class SwitchboardApi extends Application {

  @Override
  public Map<String, Object> getProperties() {
    return Map.of(
        // Jersey buffers 8 KiB of every response before the first byte unless told not to
        "jersey.config.server.contentLength.buffer",
        0,
        "jersey.config.server.wadl.disableWadl",
        true,
        "jersey.config.server.disableMoxyJson",
        true,
        "jersey.config.jsonFeature",
        "none");
  }
}
