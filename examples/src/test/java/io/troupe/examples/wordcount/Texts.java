package io.troupe.examples.wordcount;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Random texts that stress the word definition, and a regex oracle that counts their words. */
final class Texts {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  /**
   * Pieces of text: ASCII, accented and cased letters, CJK, surrogate pairs (letters and emoji),
   * numbers of every kind, the final-sigma and dotted-I cases, and separators.
   */
  private static final String[] PIECES = {
    "a",
    "Z",
    "q",
    "Hello",
    "WORLD",
    "x",
    "0",
    "42",
    "9",
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "\t",
    ",",
    ".",
    "-",
    "'",
    "_",
    "\"",
    "é",
    "É",
    "ü",
    "Ü",
    "ß",
    "ẞ",
    "ñ",
    "Ñ",
    "ø",
    "ĳ",
    "Ĳ",
    "ǅ",
    "ǆ",
    "Ǆ",
    "İ",
    "ı",
    "I",
    "i",
    "Σ",
    "σ",
    "ς",
    "ΟΔΟΣ",
    "Ὀδυσσεύς",
    "Ж",
    "ж",
    "Ё",
    "日本",
    "語",
    "한국",
    "\uD83D\uDE00",
    "\uD83D\uDC4D",
    "\uD835\uDC00",
    "\uD835\uDC1A",
    "\uD801\uDC00",
    "\uD801\uDC28",
    "\uD840\uDC00",
    "Ⅻ",
    "ⅻ",
    "²",
    "½",
    "³",
    "₂",
    "٣",
    "߀",
    "ʰ",
    "ー",
    "々",
    "\u00AD",
    "\u200B",
    "\uFEFF",
    "\uFFFD",
    "\u0301",
    "e\u0301",
    "Å",
    "ǰ",
    "ŉ",
    "\u1E9E",
    "ﬀ",
    "Ω",
    "K"
  };

  private Texts() {}

  /** Returns random text of about {@code pieces} pieces, UTF-8 encoded. */
  static byte[] randomUtf8(Random random, int pieces) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < pieces; i++) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Returns the text with random bytes spliced in: lone continuation bytes, truncated and overlong
   * sequences, encoded surrogates, bytes that are never valid, and random bytes.
   */
  static byte[] withInvalidBytes(Random random, byte[] utf8, int insertions) {
    byte[][] bad = {
      {(byte) 0x80},
      {(byte) 0xBF},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xC3},
      {(byte) 0xE2, (byte) 0x82},
      {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {(byte) 0xF8},
      {(byte) 0xFF},
      {(byte) 0xFE}
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int from = 0;
    for (int k = 0; k < insertions && from < utf8.length; k++) {
      int at =
          from + random.nextInt(Math.max(1, (utf8.length - from) / Math.max(1, insertions - k)));
      out.write(utf8, from, Math.min(at, utf8.length) - from);
      from = Math.min(at, utf8.length);
      if (random.nextBoolean()) {
        out.writeBytes(bad[random.nextInt(bad.length)]);
      } else {
        out.write(random.nextInt(256));
      }
    }
    out.write(utf8, from, utf8.length - from);
    return out.toByteArray();
  }

  /** Decodes UTF-8 as the word count does: malformed input replaced by U+FFFD. */
  static String decode(byte[] bytes, int offset, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError(e);
    }
  }

  /** Counts words by the definition: regex {@code [\p{L}\p{N}]+}, each lowercased with ROOT. */
  static Map<String, Long> oracle(String text) {
    Map<String, Long> counts = new HashMap<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      counts.merge(m.group().toLowerCase(Locale.ROOT), 1L, Long::sum);
    }
    return counts;
  }

  /** Counts the words of UTF-8 bytes by the definition. */
  static Map<String, Long> oracle(byte[] bytes) {
    return oracle(decode(bytes, 0, bytes.length));
  }
}
