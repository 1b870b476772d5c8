package dev.switchboard.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's token rule, chosen to be trivially reproducible by tests and by the gateway's own
 * estimators: a token is either a maximal run of letters/digits, or a single character that is
 * neither a letter, a digit nor whitespace (so punctuation and symbols count one each). Whitespace
 * never counts.
 *
 * <p>Examples: {@code "Say hello to the world."} is 6 tokens; {@code "get_weather"} is 3; {@code
 * "{}"} is 2.
 */
final class Tokenizer {
  private Tokenizer() {}

  static int count(String text) {
    int tokens = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        if (!inWord) {
          tokens++;
          inWord = true;
        }
      } else {
        inWord = false;
        if (!Character.isWhitespace(cp)) {
          tokens++;
        }
      }
    }
    return tokens;
  }

  /**
   * Splits text into pieces holding exactly one token each: any whitespace before a token travels
   * with it, and trailing whitespace joins the last piece. Concatenating the pieces gives back the
   * text (a whitespace-only text has no tokens and yields no pieces), so streamed pieces add up to
   * exactly {@link #count} tokens.
   */
  static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    int pieceStart = 0;
    int whitespaceStart = -1;
    boolean pieceHasToken = false;
    boolean inWord = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      boolean word = Character.isLetterOrDigit(cp);
      boolean space = Character.isWhitespace(cp);
      boolean startsToken = word ? !inWord : !space;
      if (startsToken) {
        if (pieceHasToken) {
          int cut = whitespaceStart >= 0 ? whitespaceStart : i;
          pieces.add(text.substring(pieceStart, cut));
          pieceStart = cut;
        }
        pieceHasToken = true;
        whitespaceStart = -1;
      } else if (space && pieceHasToken && whitespaceStart < 0) {
        whitespaceStart = i;
      }
      inWord = word;
      i += Character.charCount(cp);
    }
    if (pieceHasToken) {
      pieces.add(text.substring(pieceStart));
    }
    return pieces;
  }
}
