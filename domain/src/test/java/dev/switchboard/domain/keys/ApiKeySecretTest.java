package dev.switchboard.domain.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeySecretTest {

  @Test
  void generatedKeysAreWellFormedUniqueAndHashToHex() {
    String a = ApiKeySecret.generate();
    String b = ApiKeySecret.generate();
    assertThat(a).startsWith("sk-sb-v1-").hasSize(9 + 64 + 8).isNotEqualTo(b);
    assertThat(ApiKeySecret.isWellFormed(a)).isTrue();
    assertThat(ApiKeySecret.hash(a)).matches("[0-9a-f]{64}").isNotEqualTo(ApiKeySecret.hash(b));
    assertThat(ApiKeySecret.label(a))
        .startsWith("sk-sb-v1-")
        .contains("...")
        .doesNotContain(a.substring(20, 60));
  }

  @Test
  void aTypoBreaksTheChecksum() {
    String key = ApiKeySecret.generate();
    char last = key.charAt(20);
    String typo = key.substring(0, 20) + (last == 'a' ? 'b' : 'a') + key.substring(21);
    assertThat(ApiKeySecret.isWellFormed(typo)).isFalse();
    assertThat(ApiKeySecret.isWellFormed("sk-sb-v1-short")).isFalse();
    assertThat(ApiKeySecret.isWellFormed(null)).isFalse();
  }
}
