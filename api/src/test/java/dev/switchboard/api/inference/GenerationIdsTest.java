package dev.switchboard.api.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GenerationIdsTest {

  @Test
  void startsWithGenThenTheEpochSecondsThenTwentyBase62Characters() {
    assertThat(GenerationIds.next(1_750_000_000L)).matches("gen-1750000000-[0-9A-Za-z]{20}");
  }

  @Test
  void neverRepeatsOverAHundredThousandIdsInTheSameSecond() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(GenerationIds.next(1_750_000_000L));
    }

    assertThat(ids).hasSize(100_000);
  }

  @Test
  void usesTheWholeAlphabet() {
    Set<Character> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String id = GenerationIds.next(1L);
      for (char c : id.substring("gen-1-".length()).toCharArray()) {
        seen.add(c);
      }
    }

    assertThat(seen).hasSize(62);
  }
}
