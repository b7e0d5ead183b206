package io.troupe.examples.wordcount;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class WordScannerTest {

  /** Feeds text to the scanner in pieces of random size, cutting anywhere, surrogate pairs too. */
  private static void feed(WordScanner scanner, String text, Random random, int maxPiece) {
    int at = 0;
    while (at < text.length()) {
      int n = Math.min(1 + random.nextInt(maxPiece), Math.min(scanner.free(), text.length() - at));
      text.getChars(at, at + n, scanner.buffer(), scanner.limit());
      scanner.appended(n);
      at += n;
      scanner.scan(false);
    }
    scanner.scan(true);
  }

  @Test
  void scan_textCutAnywhere_matchesRegexOracle() {
    Random random = new Random(71);
    for (int round = 0; round < 500; round++) {
      String text =
          new String(Texts.randomUtf8(random, 1 + random.nextInt(400)), StandardCharsets.UTF_8);
      WordCounts counts = new WordCounts();
      feed(new WordScanner(counts, 16), text, random, 1 + random.nextInt(40));

      assertThat(counts.toMap()).as("round %d", round).isEqualTo(Texts.oracle(text));
    }
  }

  @Test
  void scan_highSurrogateAtEndOfPiece_waitsForItsLowHalf() {
    WordCounts counts = new WordCounts();
    WordScanner scanner = new WordScanner(counts, 16);
    String text = "a\uD835\uDC00b \uD83D\uDE00c";
    for (char c : text.toCharArray()) {
      scanner.buffer()[scanner.limit()] = c;
      scanner.appended(1);
      scanner.scan(false);
    }
    scanner.scan(true);

    assertThat(counts.toMap()).isEqualTo(Map.of("a\uD835\uDC00b", 1L, "c", 1L));
  }

  @Test
  void scan_reusedAfterEndOfInput_keepsTextsApart() {
    Random random = new Random(72);
    WordCounts counts = new WordCounts();
    WordScanner scanner = new WordScanner(counts, 16);
    Map<String, Long> expected = new HashMap<>();
    for (String text : new String[] {"abc", "def ghi", "\uD835\uDC00", "\uD835\uDC00", "x"}) {
      feed(scanner, text, random, 2);
      Texts.oracle(text).forEach((word, n) -> expected.merge(word, n, Long::sum));
    }
    assertThat(counts.toMap()).isEqualTo(expected);
  }
}
