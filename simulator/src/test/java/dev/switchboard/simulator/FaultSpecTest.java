package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultSpecTest {

  @Test
  void parsesHeadersCaseInsensitivelyAndIgnoresOthers() {
    FaultSpec spec =
        FaultSpec.fromHeaders(
            Map.of(
                "X-Sim-Status",
                "503",
                "x-sim-no-usage",
                "true",
                "x-sim-ttft-ms",
                "250",
                "Authorization",
                "Bearer x"));

    assertThat(spec).isEqualTo(FaultSpec.builder().status(503).noUsage(true).ttftMs(250).build());
  }

  @Test
  void readsTheNewerFaultsByHeaderAndByFieldName() {
    FaultSpec fromHeaders =
        FaultSpec.fromHeaders(
            Map.of("x-sim-no-done", "true", "x-sim-end-after", "4", "x-sim-fail-every", "2"));
    FaultSpec fromFields =
        FaultSpec.fromFields(Map.of("noDone", "1", "endAfter", "4", "failEvery", "2"));

    FaultSpec expected = FaultSpec.builder().noDone(true).endAfter(4).failEvery(2).build();
    assertThat(fromHeaders).isEqualTo(expected);
    assertThat(fromFields).isEqualTo(expected);
    assertThat(expected.asMap())
        .containsExactly(
            Map.entry("endAfter", 4), Map.entry("noDone", true), Map.entry("failEvery", 2));
  }

  @Test
  void overrideWinsFieldByField() {
    FaultSpec provider =
        FaultSpec.builder().status(500).retryAfterSeconds(3).chunkDelayMs(10).build();
    FaultSpec header = FaultSpec.builder().status(429).build();

    assertThat(provider.overriddenBy(header))
        .isEqualTo(FaultSpec.builder().status(429).retryAfterSeconds(3).chunkDelayMs(10).build());
    assertThat(provider.overriddenBy(FaultSpec.NONE)).isEqualTo(provider);
  }

  @Test
  void rejectsInvalidValues() {
    assertThatThrownBy(() -> FaultSpec.fromHeaders(Map.of("x-sim-status", "99")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FaultSpec.fromHeaders(Map.of("x-sim-reset", "maybe")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FaultSpec.builder().delayMs(-1).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FaultSpec.fromHeaders(Map.of("x-sim-fail-every", "0")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FaultSpec.fromFields(Map.of("stallEvery", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stallEvery");
  }

  @Test
  void readsStallEveryByHeaderAndByFieldName() {
    FaultSpec expected = FaultSpec.builder().stallEvery(2000).stallAfter(5).build();

    assertThat(FaultSpec.fromHeaders(Map.of("x-sim-stall-every", "2000", "x-sim-stall-after", "5")))
        .isEqualTo(expected);
    assertThat(FaultSpec.fromFields(Map.of("stallEvery", "2000", "stallAfter", "5")))
        .isEqualTo(expected);
    assertThat(expected.asMap())
        .containsExactly(Map.entry("stallAfter", 5), Map.entry("stallEvery", 2000));
  }
}
