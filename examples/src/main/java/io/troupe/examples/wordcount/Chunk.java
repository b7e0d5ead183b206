package io.troupe.examples.wordcount;

import java.util.Objects;

/**
 * A byte range of an input file that starts and ends between words, the unit of work of word count.
 *
 * @param file absolute, normalized path of the file
 * @param offset index of the first byte
 * @param length number of bytes
 */
public record Chunk(String file, long offset, long length) {

  /** Checks that the file is present and the range not negative. */
  public Chunk {
    Objects.requireNonNull(file, "file");
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "offset and length must not be negative, were " + offset + " and " + length);
    }
  }
}
