package dev.switchboard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MasterKeySettingTest {

  private static final String GOOD = Base64.getEncoder().encodeToString(new byte[32]);

  @Test
  void unsetOrBase64OfThirtyTwoBytesIsFine() {
    assertThat(MasterKeySetting.problem(Map.of())).isEmpty();
    assertThat(MasterKeySetting.problem(Map.of("SWITCHBOARD_MASTER_KEY", ""))).isEmpty();
    assertThat(
            MasterKeySetting.problem(
                Map.of(
                    "SWITCHBOARD_MASTER_KEY",
                    GOOD,
                    "SWITCHBOARD_MASTER_KEY_PREVIOUS",
                    Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]))))
        .isEmpty();
  }

  @Test
  void anythingElseIsRefusedNamingTheVariableAndWhatItMustBe() {
    assertThat(MasterKeySetting.problem(Map.of("SWITCHBOARD_MASTER_KEY", "change-me!")))
        .hasValueSatisfying(
            m -> assertThat(m).startsWith("SWITCHBOARD_MASTER_KEY is not base64").contains("32"));
    assertThat(
            MasterKeySetting.problem(
                Map.of("SWITCHBOARD_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[16]))))
        .hasValueSatisfying(m -> assertThat(m).contains("decodes to 16 bytes"));
    assertThat(
            MasterKeySetting.problem(
                Map.of("SWITCHBOARD_MASTER_KEY", GOOD, "SWITCHBOARD_MASTER_KEY_PREVIOUS", "abc")))
        .hasValueSatisfying(m -> assertThat(m).startsWith("SWITCHBOARD_MASTER_KEY_PREVIOUS"));
  }
}
