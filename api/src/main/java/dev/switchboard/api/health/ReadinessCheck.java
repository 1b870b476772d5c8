package dev.switchboard.api.health;

import dev.switchboard.api.platform.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when start-up finished and the database answers. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

  @Inject Startup startup;
  @Inject DataSource dataSource;

  @Override
  public HealthCheckResponse call() {
    boolean database = databaseAnswers();
    return HealthCheckResponse.named("switchboard")
        .status(startup.isReady() && database)
        .withData("started", startup.isReady())
        .withData("database", database)
        .build();
  }

  private boolean databaseAnswers() {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }
}
