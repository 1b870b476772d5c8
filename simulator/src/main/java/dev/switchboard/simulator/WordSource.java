package dev.switchboard.simulator;

/**
 * Deterministic pseudo-random English-ish words. Uses its own SplitMix64 and FNV-1a rather than JDK
 * randoms so the output is identical on every JVM, which keeps recorded fixtures in the gateway's
 * tests stable.
 */
final class WordSource {
  private static final String[] WORDS = {
    "the",
    "quick",
    "river",
    "carries",
    "light",
    "across",
    "open",
    "fields",
    "while",
    "small",
    "birds",
    "gather",
    "near",
    "quiet",
    "stones",
    "every",
    "morning",
    "brings",
    "new",
    "colors",
    "to",
    "distant",
    "hills",
    "and",
    "people",
    "walk",
    "slowly",
    "along",
    "narrow",
    "paths",
    "that",
    "wind",
    "between",
    "old",
    "trees",
    "under",
    "a",
    "bright",
    "sky",
    "some",
    "travelers",
    "stop",
    "for",
    "tea",
    "at",
    "simple",
    "wooden",
    "tables",
    "where",
    "stories",
    "about",
    "summer",
    "storms",
    "are",
    "shared",
    "with",
    "warm",
    "laughter",
    "later",
    "evening",
    "shadows",
    "stretch",
    "over",
    "gardens",
    "full",
    "of",
    "herbs",
    "lanterns",
    "glow",
    "softly",
    "in",
    "windows",
    "children",
    "count",
    "stars",
    "above",
    "calm",
    "harbors",
    "ships",
    "rest",
    "until",
    "tide",
    "returns",
    "maps",
    "show",
    "roads",
    "toward",
    "mountains",
    "valleys",
    "lakes",
    "clear",
    "water",
    "reflects",
    "clouds",
    "gentle",
    "music",
    "drifts",
    "from",
    "village",
    "square",
    "bakers",
    "prepare",
    "fresh",
    "bread",
    "before",
    "dawn",
    "market",
    "opens",
    "early",
    "farmers",
    "bring",
    "apples",
    "pears",
    "honey",
    "cheese",
    "friends",
    "meet",
    "beside",
    "fountain",
    "talk",
    "plans",
    "journeys",
    "letters",
    "arrive",
    "by",
    "train",
    "carrying",
    "news",
    "good",
    "weather",
    "ahead",
    "patient",
    "gardeners",
    "plant",
    "seeds",
    "hoping",
    "rain",
    "comes",
    "soon",
    "bridges",
    "connect",
    "towns",
    "clever",
    "engineers",
    "design",
    "sturdy",
    "towers",
    "libraries",
    "hold",
    "books",
    "on",
    "history",
    "science",
    "art",
    "poetry",
  };

  private long state;

  WordSource(long seed) {
    this.state = seed;
  }

  /**
   * FNV-1a over the UTF-16 code units: cheap, stable, and good enough to spread similar prompts
   * apart.
   */
  static long seedOf(String material) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < material.length(); i++) {
      hash ^= material.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  long nextLong() {
    long z = (state += 0x9e3779b97f4a7c15L);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  int nextInt(int bound) {
    return (int) Long.remainderUnsigned(nextLong(), bound);
  }

  /**
   * {@code count} words separated by single spaces, first one capitalised; every word is one token.
   */
  String sentence(int count) {
    StringBuilder text = new StringBuilder(count * 7);
    for (int i = 0; i < count; i++) {
      String word = WORDS[nextInt(WORDS.length)];
      if (i == 0) {
        text.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
      } else {
        text.append(' ').append(word);
      }
    }
    return text.toString();
  }
}
