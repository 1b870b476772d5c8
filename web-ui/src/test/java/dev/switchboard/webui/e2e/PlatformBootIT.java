package dev.switchboard.webui.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
  void withoutOidcSettingsThereIsNoSingleSignOn(RunningSwitchboard switchboard) {
    assertThat(switchboard.get("/sso/signin", null).statusCode()).isEqualTo(404);
    assertThat(switchboard.get("/sso/callback?code=x&state=y", null).statusCode()).isEqualTo(404);
    // a bearer that is no API key is not read as a token: the API-key answer, as before
    HttpResponse<String> keys = switchboard.get("/api/v1/keys", "eyJhbGciOiJub25lIn0.e30.");
    assertThat(keys.statusCode()).isEqualTo(401);
    assertThat(keys.body()).contains("Invalid API key");
  }

  @Test
  void aTakenPortStopsTheStartBeforeAnythingRunsAndSaysWhich() throws Exception {
    Path dataDir = Files.createTempDirectory("switchboard-taken-port");
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String port = String.valueOf(taken.getLocalPort());

      assertThatThrownBy(
              () -> {
                try (RunningSwitchboard started =
                    RunningSwitchboard.start(Map.of("SWITCHBOARD_PORT", port), dataDir)) {
                  throw new AssertionError("Switchboard started on a taken port " + port);
                }
              })
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(
              "Switchboard failed to start: port " + port + " on 127.0.0.1 is not free")
          .hasMessageContaining("SWITCHBOARD_PORT");
    }
    // refused before the embedded database was started
    assertThat(dataDir.resolve("postgres")).doesNotExist();
  }

  @Test
  void aMasterKeyThatIsNotBase64OfThirtyTwoBytesStopsTheStartAndSaysWhatItMustBe()
      throws Exception {
    Path dataDir = Files.createTempDirectory("switchboard-bad-master-key");

    assertThatThrownBy(
            () -> {
              try (RunningSwitchboard started =
                  RunningSwitchboard.start(
                      Map.of("SWITCHBOARD_MASTER_KEY", "c2hvcnQta2V5"), dataDir)) {
                throw new AssertionError("Switchboard started with a 9-byte master key");
              }
            })
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "Switchboard failed to start: SWITCHBOARD_MASTER_KEY decodes to 9 bytes: it must be"
                + " exactly 32 random bytes");
    // refused before the embedded database was started, and no key was generated instead
    assertThat(dataDir.resolve("postgres")).doesNotExist();
    assertThat(dataDir.resolve("secrets").resolve("byok-master-key")).doesNotExist();
  }

  @Test
  void theEmbeddedDatabaseKeepsItsFilesInTheDataDirectory(RunningSwitchboard switchboard) {
    assertThat(switchboard.dataDir().resolve("postgres").resolve("PG_VERSION")).exists();
  }
}
