package dev.switchboard.domain.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenUsageTest {

  @Test
  void twoCallsThatMadeOneAnswerAddUpCountByCount() {
    TokenUsage first = new TokenUsage(100, 12, 2, 40, 10, 1, 0);
    TokenUsage second = new TokenUsage(112, 30, 0, 0, 50, 0, 1);

    assertThat(first.plus(second)).isEqualTo(new TokenUsage(212, 42, 2, 40, 60, 1, 1));
  }

  @Test
  void aSumTooLargeToCountIsRefusedRatherThanWrapped() {
    TokenUsage huge = TokenUsage.of(Long.MAX_VALUE, 0);

    assertThatThrownBy(() -> huge.plus(TokenUsage.of(1, 0)))
        .isInstanceOf(ArithmeticException.class);
  }
}
