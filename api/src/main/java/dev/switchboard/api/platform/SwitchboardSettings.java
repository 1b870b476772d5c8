package dev.switchboard.api.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The configuration contract, read through MicroProfile Config (every key can be given as an environment
 * variable: {@code SWITCHBOARD_OPERATOR_TOKEN} for {@code switchboard.operator.token}).
 */
@ApplicationScoped
public class SwitchboardSettings {

  @Inject
  @ConfigProperty(name = "switchboard.operator.token")
  Optional<String> operatorToken;

  @Inject
  @ConfigProperty(name = "switchboard.catalog")
  Optional<String> catalogPath;

  @Inject
  @ConfigProperty(name = "switchboard.data.dir", defaultValue = "./switchboard-data")
  String dataDir;

  @Inject
  @ConfigProperty(name = "switchboard.max.body.bytes", defaultValue = "10485760")
  long maxBodyBytes;

  @Inject
  @ConfigProperty(name = "switchboard.max.json.depth", defaultValue = "64")
  int maxJsonDepth;

  @Inject
  @ConfigProperty(name = "switchboard.reservation.hold.seconds", defaultValue = "3600")
  long reservationHoldSeconds;

  public Optional<String> operatorToken() {
    return operatorToken.filter(token -> !token.isBlank());
  }

  public Optional<String> catalogPath() {
    return catalogPath.filter(path -> !path.isBlank());
  }

  public String dataDir() {
    return dataDir;
  }

  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  public int maxJsonDepth() {
    return maxJsonDepth;
  }

  public long reservationHoldSeconds() {
    return reservationHoldSeconds;
  }
}
