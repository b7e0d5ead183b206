package io.troupe.examples.wordcount;

import java.util.Objects;

/**
 * Splits UTF-8 text into words and counts them: the map step of word count.
 *
 * <p>A word is a maximal run of code points that are letters or numbers ({@code [\p{L}\p{N}]+},
 * Unicode general categories L and N), lowercased with {@link String#toLowerCase(java.util.Locale)
 * toLowerCase(Locale.ROOT)}. Malformed UTF-8 decodes to U+FFFD, which separates words.
 */
public final class WordTokenizer {

  private WordTokenizer() {}

  /**
   * Decodes {@code bytes[offset, offset + length)} as UTF-8 and adds every word in it to {@code
   * into}; the range is taken as a whole text, so a word at either end counts as complete.
   *
   * @param bytes the text
   * @param offset index of the first byte
   * @param length number of bytes
   * @param into the table to count words into
   * @throws IndexOutOfBoundsException if the range is not inside {@code bytes}
   */
  public static void count(byte[] bytes, int offset, int length, WordCounts into) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    Objects.requireNonNull(into, "into");
    new Utf8Scanner(into).scan(bytes, offset, offset + length, true);
  }
}
