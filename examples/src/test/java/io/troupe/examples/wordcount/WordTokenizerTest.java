package io.troupe.examples.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class WordTokenizerTest {

  private static Map<String, Long> count(byte[] bytes) {
    WordCounts counts = new WordCounts();
    WordTokenizer.count(bytes, 0, bytes.length, counts);
    return counts.toMap();
  }

  private static Map<String, Long> count(String text) {
    return count(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void count_randomMixedScriptText_matchesRegexOracle() {
    Random random = new Random(1);
    for (int round = 0; round < 400; round++) {
      byte[] bytes = Texts.randomUtf8(random, 1 + random.nextInt(round < 300 ? 60 : 3000));
      assertThat(count(bytes)).as("round %d", round).isEqualTo(Texts.oracle(bytes));
    }
  }

  @Test
  void count_randomTextWithInvalidUtf8_matchesRegexOracle() {
    Random random = new Random(2);
    for (int round = 0; round < 400; round++) {
      byte[] valid = Texts.randomUtf8(random, 1 + random.nextInt(round < 300 ? 60 : 3000));
      byte[] bytes = Texts.withInvalidBytes(random, valid, 1 + random.nextInt(20));
      assertThat(count(bytes)).as("round %d", round).isEqualTo(Texts.oracle(bytes));
    }
  }

  @Test
  void count_randomBytes_matchesRegexOracle() {
    Random random = new Random(3);
    for (int round = 0; round < 300; round++) {
      byte[] bytes = new byte[random.nextInt(2000)];
      random.nextBytes(bytes);
      assertThat(count(bytes)).as("round %d", round).isEqualTo(Texts.oracle(bytes));
    }
  }

  @Test
  void count_subrangeOfArray_countsOnlyThatRange() {
    Random random = new Random(4);
    for (int round = 0; round < 200; round++) {
      byte[] bytes = Texts.withInvalidBytes(random, Texts.randomUtf8(random, 200), 5);
      int offset = random.nextInt(bytes.length + 1);
      int length = random.nextInt(bytes.length - offset + 1);
      WordCounts counts = new WordCounts();
      WordTokenizer.count(bytes, offset, length, counts);
      assertThat(counts.toMap())
          .as("round %d", round)
          .isEqualTo(Texts.oracle(Texts.decode(bytes, offset, length)));
    }
  }

  @Test
  void count_everyLetterAndNumberCodePoint_isOneWordLowercasedLikeString() {
    StringBuilder text = new StringBuilder();
    Map<String, Long> expected = new HashMap<>();
    int words = 0;
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      int type = Character.getType(cp);
      boolean word =
          Character.isLetter(cp)
              || type == Character.DECIMAL_DIGIT_NUMBER
              || type == Character.LETTER_NUMBER
              || type == Character.OTHER_NUMBER;
      if (word) {
        String s = new String(Character.toChars(cp));
        text.append(s).append(' ');
        expected.merge(s.toLowerCase(Locale.ROOT), 1L, Long::sum);
        words++;
      }
    }
    WordCounts counts = new WordCounts();
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    WordTokenizer.count(bytes, 0, bytes.length, counts);

    assertThat(words).isGreaterThan(130_000);
    assertThat(counts.total()).isEqualTo(words);
    assertThat(counts.toMap()).isEqualTo(expected);
  }

  @Test
  void count_everyOtherCodePoint_isNoWord() {
    StringBuilder text = new StringBuilder();
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      int type = Character.getType(cp);
      boolean word =
          Character.isLetter(cp)
              || type == Character.DECIMAL_DIGIT_NUMBER
              || type == Character.LETTER_NUMBER
              || type == Character.OTHER_NUMBER;
      if (!word && type != Character.SURROGATE) {
        text.appendCodePoint(cp);
      }
    }
    assertThat(count(text.toString())).isEmpty();
  }

  @Test
  void count_numbersBeyondDigits_areWords() {
    assertThat(count("Ⅻ ² ½ x² H₂O ٣٤"))
        .containsOnly(
            Map.entry("ⅻ", 1L),
            Map.entry("²", 1L),
            Map.entry("½", 1L),
            Map.entry("x²", 1L),
            Map.entry("h₂o", 1L),
            Map.entry("٣٤", 1L));
  }

  @Test
  void count_greekCapitalSigma_lowercasesWithFinalSigmaRule() {
    assertThat(count("ΟΔΟΣ ΣΑΣ Σ ΟΔΟΣ2"))
        .containsOnly(
            Map.entry("οδος", 1L),
            Map.entry("σας", 1L),
            Map.entry("σ", 1L),
            Map.entry("οδος2", 1L));
  }

  @Test
  void count_capitalIWithDotAbove_lowercasesToTwoChars() {
    assertThat(count("İstanbul ISTANBUL"))
        .containsOnly(Map.entry("i\u0307stanbul", 1L), Map.entry("istanbul", 1L));
  }

  @Test
  void count_surrogatePairs_areClassifiedAsCodePoints() {
    // Mathematical bold A and a (letters), Deseret capital long I (lowercases to U+10428),
    // and a smiley (a symbol, so a separator).
    assertThat(count("\uD835\uDC00\uD835\uDC1A x\uD83D\uDE00y \uD801\uDC00"))
        .containsOnly(
            Map.entry("\uD835\uDC00\uD835\uDC1A", 1L),
            Map.entry("x", 1L),
            Map.entry("y", 1L),
            Map.entry("\uD801\uDC28", 1L));
  }

  @Test
  void count_malformedBytes_separateWords() {
    byte[] bytes = {'a', 'b', (byte) 0xFF, 'c', 'd', (byte) 0xC3, 'e', (byte) 0xE2, (byte) 0x82};
    assertThat(count(bytes))
        .containsOnly(Map.entry("ab", 1L), Map.entry("cd", 1L), Map.entry("e", 1L));
  }

  @Test
  void count_encodedSurrogatesAndOverlongForms_areMalformedNotLetters() {
    // U+10400 (a letter) as CESU-8, an encoded surrogate pair: malformed in UTF-8, so it separates
    // "a" from "b" instead of joining them; likewise an overlong 'x' and a code point past
    // U+10FFFF.
    // (ISO-8859-1 turns each char into the byte of the same value.)
    byte[] bytes =
        "a\u00ED\u00A0\u0081\u00ED\u00B0\u0080b c\u00C1\u00B8d e\u00F4\u0090\u0080\u0080f\u00C3\u00A9"
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(count(bytes)).isEqualTo(Texts.oracle(bytes));
    assertThat(count(bytes)).containsOnlyKeys("a", "b", "c", "d", "e", "fé");
  }

  @Test
  void count_nonAsciiLetterLowercasingToAscii_countsWithTheAsciiWord() {
    // KELVIN SIGN lowercases to k; the two routes through the scanner must meet in one entry.
    WordCounts counts = new WordCounts();
    byte[] bytes = "k \u212A K Kk \u212Ak".getBytes(StandardCharsets.UTF_8);
    WordTokenizer.count(bytes, 0, bytes.length, counts);

    assertThat(counts.toMap()).containsOnly(Map.entry("k", 3L), Map.entry("kk", 2L));
    assertThat(counts.distinct()).isEqualTo(2);
  }

  @Test
  void count_mixedCase_countsLowercased() {
    assertThat(count("The the THE tHe, Straße STRASSE"))
        .containsOnly(Map.entry("the", 4L), Map.entry("straße", 1L), Map.entry("strasse", 1L));
  }

  @Test
  void count_longWords_areOneWordEach() {
    char[] letters = new char[70_000];
    Arrays.fill(letters, 'K');
    String ascii = new String(letters);
    letters[letters.length / 2] = 'é';
    String mixed = new String(letters);

    assertThat(count("a " + ascii + " " + mixed + " b"))
        .containsOnly(
            Map.entry("a", 1L),
            Map.entry(ascii.toLowerCase(Locale.ROOT), 1L),
            Map.entry(mixed.toLowerCase(Locale.ROOT), 1L),
            Map.entry("b", 1L));
  }

  @Test
  void count_wordsOfEveryLengthAndCase_packOrNotAlike() {
    // Around the 8-char packing limit, in every case, through the byte route and the char route.
    StringBuilder text = new StringBuilder();
    Map<String, Long> expected = new HashMap<>();
    for (int len = 1; len <= 12; len++) {
      String word = "aZ9é".repeat(3).substring(0, len);
      String ascii = "aZ9x".repeat(3).substring(0, len);
      for (String w : new String[] {word, ascii, ascii.toUpperCase(Locale.ROOT), word + "ü"}) {
        text.append(w).append(len % 2 == 0 ? ' ' : ',');
        expected.merge(w.toLowerCase(Locale.ROOT), 1L, Long::sum);
      }
    }
    assertThat(count(text.toString())).isEqualTo(expected);
  }

  @Test
  void count_emptyRangeOrNoWords_countsNothing() {
    assertThat(count(new byte[0])).isEmpty();
    assertThat(count(" .,;\n\t-- \uD83D\uDE00 \uFFFD ")).isEmpty();
  }

  @Test
  void count_rangeOutsideArray_throws() {
    assertThatThrownBy(() -> WordTokenizer.count(new byte[4], 2, 3, new WordCounts()))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
