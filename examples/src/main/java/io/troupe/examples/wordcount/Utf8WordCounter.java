package io.troupe.examples.wordcount;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * Reads UTF-8 text from a channel in blocks and counts its words with a {@link Utf8Scanner}.
 *
 * <p>Implementation notes: the block buffer and the scanner are kept from one text to the next, so
 * a worker that counts chunk after chunk allocates nothing per chunk but its table. Bytes the
 * scanner leaves unconsumed at the end of a block (an ASCII word that may go on, the start of a
 * character cut by the block's end) move to the front of the buffer and are handed in again with
 * the next block; the buffer doubles whenever they fill more than half of it, so a word of any
 * length is seen whole. One instance per thread.
 */
final class Utf8WordCounter {

  /** Bytes read and scanned at a time: small enough to stay in a core's L2 cache with the table. */
  static final int BLOCK_BYTES = 1 << 16;

  /** Bytes after a block's end that are never filled: the scanner may read 8 bytes at once. */
  private static final int SLACK = 8;

  private final Utf8Scanner scanner = new Utf8Scanner(new WordCounts());
  private byte[] block;
  private int capacity;
  private ByteBuffer view;

  /** Creates a counter with blocks of {@link #BLOCK_BYTES}. */
  Utf8WordCounter() {
    this(BLOCK_BYTES);
  }

  /** Creates a counter with blocks of {@code blockBytes} (at least 16; small ones for tests). */
  Utf8WordCounter(int blockBytes) {
    capacity = Math.max(16, blockBytes);
    block = new byte[capacity + SLACK];
    view = ByteBuffer.wrap(block);
  }

  /**
   * Reads {@code in} up to its end or {@code maxBytes}, whichever comes first, and adds the words
   * of those bytes, taken as one whole text, to {@code into}.
   *
   * @param in the channel, read from its current position
   * @param maxBytes the most bytes to read
   * @param into the table to count into
   * @return the number of bytes read
   * @throws IOException if the channel cannot be read
   */
  long count(ReadableByteChannel in, long maxBytes, WordCounts into) throws IOException {
    scanner.countInto(into);
    long read = 0;
    int limit = 0;
    boolean end = maxBytes <= 0;
    while (!end) {
      view.limit(limit + (int) Math.min(capacity - limit, maxBytes - read)).position(limit);
      int n = in.read(view);
      if (n < 0) {
        end = true;
      } else {
        read += n;
        limit += n;
        end = read >= maxBytes;
      }
      int consumed = scanner.scan(block, 0, limit, end);
      int tail = limit - consumed;
      if (consumed > 0 && tail > 0) {
        System.arraycopy(block, consumed, block, 0, tail);
      }
      limit = tail;
      if (tail > capacity >>> 1) {
        if (capacity > Integer.MAX_VALUE / 2 - 16) {
          throw new IllegalStateException("word longer than " + tail + " bytes");
        }
        capacity <<= 1;
        block = Arrays.copyOf(block, capacity + SLACK);
        view = ByteBuffer.wrap(block);
      }
    }
    return read;
  }
}
