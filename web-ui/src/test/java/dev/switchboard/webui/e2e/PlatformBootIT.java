package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SwitchboardExtension.class)
class PlatformBootIT {

  @Test
  void theJarBootsWithTheEmbeddedDatabaseAndReportsReady(RunningSwitchboard switchboard) {
    HttpResponse<String> ready = switchboard.get("/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"status\":\"UP\"").contains("\"database\":\"true\"");

    assertThat(switchboard.get("/health/live", null).statusCode()).isEqualTo(200);
    assertThat(switchboard.get("/", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theEmbeddedDatabaseKeepsItsFilesInTheDataDirectory(RunningSwitchboard switchboard) {
    assertThat(switchboard.dataDir().resolve("postgres").resolve("PG_VERSION")).exists();
  }
}
