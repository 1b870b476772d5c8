package dev.switchboard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenizerTest {

  @Test
  void countsWordRunsAndEachPunctuationCharacter() {
    assertThat(Tokenizer.count("Say hello to the world.")).isEqualTo(6);
    assertThat(Tokenizer.count("get_weather")).isEqualTo(3);
    assertThat(Tokenizer.count("{\"a\":1}")).isEqualTo(7);
    assertThat(Tokenizer.count("  \n\t ")).isZero();
    assertThat(Tokenizer.count("")).isZero();
    assertThat(Tokenizer.count("naïve café 42")).isEqualTo(3);
  }

  @Test
  void piecesHoldOneTokenEachAndConcatenateBackToTheText() {
    String text = "  Hello, big   world!  ";

    assertThat(Tokenizer.pieces(text)).containsExactly("  Hello", ",", " big", "   world", "!  ");
    assertThat(String.join("", Tokenizer.pieces(text))).isEqualTo(text);
    assertThat(Tokenizer.pieces(text)).hasSize(Tokenizer.count(text));
    assertThat(Tokenizer.pieces("   ")).isEmpty();
  }
}
