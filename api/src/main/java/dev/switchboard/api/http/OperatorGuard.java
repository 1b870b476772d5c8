package dev.switchboard.api.http;

import dev.switchboard.api.platform.SwitchboardSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards the operator API. Without {@code SWITCHBOARD_OPERATOR_TOKEN} the API does not exist (404),
 * so a deployment that never set a token exposes nothing.
 */
@ApplicationScoped
public class OperatorGuard {

  @Inject SwitchboardSettings settings;

  public void check(String authorization) {
    String token = settings.operatorToken().orElseThrow(() -> ApiException.notFound("Not found"));
    String given =
        authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            ? authorization.substring(7).trim()
            : "";
    if (!MessageDigest.isEqual(
        given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
      throw ApiException.unauthorized("Invalid operator token");
    }
  }
}
