package io.troupe.examples.wordcount;

import java.util.Objects;

/**
 * A word and how often it occurred.
 *
 * @param word the lowercased word
 * @param count its number of occurrences
 */
public record WordCount(String word, long count) {

  /** Checks that the word is present and the count not negative. */
  public WordCount {
    Objects.requireNonNull(word, "word");
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
  }
}
