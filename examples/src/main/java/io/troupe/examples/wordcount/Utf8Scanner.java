package io.troupe.examples.wordcount;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Counts the words of UTF-8 bytes straight from the bytes: the compute kernel that the sequential
 * reference, the job's workers and the benchmarks' parallel streams all share.
 *
 * <p>Implementation notes: most text is ASCII, and an ASCII byte is a whole character that no UTF-8
 * decoder ever folds into a neighbouring sequence, malformed or not. So the scanner reads ASCII
 * words byte by byte, lowercasing each letter by setting bit 5 and packing up to 8 of them into a
 * table key as it goes ({@link WordCounts#addPacked}); no chars are made. Any byte of 0x80 or more
 * opens a <em>region</em>: from the start of the ASCII run it continues (if any) to the next ASCII
 * byte that is not a letter or digit. Because a region is bounded by such separators, every word
 * that touches it lies inside it, and decoding it on its own gives the same word chars as decoding
 * the whole text would (only the number of U+FFFD for malformed input may differ, and U+FFFD
 * separates words either way). A region goes through the JDK's UTF-8 decoder (malformed input
 * replaced) into a {@link WordScanner}, which applies the full Unicode rules.
 *
 * <p>Bytes arrive in blocks ({@link #scan} returns how far it got): an ASCII word that reaches the
 * end of a block is left to the caller to hand in again with the next block; a region that does is
 * streamed on through the decoder, which keeps memory bounded however long the region is (text in a
 * script without ASCII spaces is one long region). One instance per thread.
 */
final class Utf8Scanner {

  /** Indexed by a byte's unsigned value: true for {@code [A-Za-z0-9]}. */
  private static final boolean[] ASCII_WORD = new boolean[256];

  /** Indexed by a byte's unsigned value: true for ASCII bytes other than {@code [A-Za-z0-9]}. */
  private static final boolean[] SEPARATOR = new boolean[256];

  static {
    for (int c = 0; c < 128; c++) {
      ASCII_WORD[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      SEPARATOR[c] = !ASCII_WORD[c];
    }
  }

  private final CharsetDecoder decoder = newDecoder();
  private final WordScanner chars;
  private WordCounts into;

  /** True while a region is open: its bytes so far went into the decoder. */
  private boolean inRegion;

  /** Reused views of the caller's bytes and of the char scanner's buffer, for the decoder. */
  private ByteBuffer byteView = ByteBuffer.allocate(0);

  private CharBuffer charView = CharBuffer.allocate(0);

  /**
   * Creates a scanner.
   *
   * @param into the table to count into
   */
  Utf8Scanner(WordCounts into) {
    this.into = into;
    this.chars = new WordScanner(into, 256);
  }

  /** A UTF-8 decoder that replaces malformed and unmappable input with U+FFFD. */
  static CharsetDecoder newDecoder() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
  }

  /**
   * Starts a new text, counted into {@code table}; whatever the scanner held of an unfinished text
   * (one whose reading failed, say) is dropped.
   */
  void countInto(WordCounts table) {
    into = table;
    inRegion = false;
    decoder.reset();
    chars.reset(table);
  }

  /**
   * Counts the words in {@code b[from, to)}, which continues the text of the previous call unless
   * that one ended the input.
   *
   * @param b the bytes
   * @param from first byte
   * @param to end of the bytes
   * @param endOfInput true if the text ends at {@code to}
   * @return the first byte not consumed, to be handed in again at the start of the next call:
   *     {@code to} with {@code endOfInput}, else the start of an ASCII word that may go on, or the
   *     last bytes of a multi-byte character cut by {@code to}
   */
  int scan(byte[] b, int from, int to, boolean endOfInput) {
    int i = from;
    if (inRegion) {
      i = region(b, i, to, endOfInput);
      if (inRegion) {
        return i;
      }
    }
    final WordCounts table = into;
    while (i < to) {
      int c = b[i] & 0xFF;
      if (!ASCII_WORD[c]) {
        if (c < 0x80) {
          i++;
          continue;
        }
        i = region(b, i, to, endOfInput);
        if (inRegion) {
          return i;
        }
        continue;
      }
      // An ASCII run: lowercase and pack it, 8 bits a char; beyond 8 chars bits is not used.
      int start = i;
      long bits = 0;
      int shift = 0;
      do {
        bits |= (long) (c | 0x20) << shift;
        shift += 8;
        if (++i == to) {
          break;
        }
        c = b[i] & 0xFF;
      } while (ASCII_WORD[c]);
      if (i == to && !endOfInput) {
        return start; // the word may go on in the next block
      }
      if (i < to && c >= 0x80) {
        i = region(b, start, to, endOfInput); // the word goes on past ASCII
        if (inRegion) {
          return i;
        }
        continue;
      }
      int len = i - start;
      if (len <= 8) {
        table.addPacked(bits);
      } else {
        table.addAscii(b, start, len);
      }
    }
    return to;
  }

  /**
   * Decodes and counts a region from {@code from} (its start, or where it went on) up to the next
   * ASCII separator, which ends it; returns where scanning goes on. If no separator comes before
   * {@code to} and the input goes on, the region stays open and the index of the first byte the
   * decoder left (an incomplete character) is returned.
   */
  private int region(byte[] b, int from, int to, boolean endOfInput) {
    int end = from;
    while (end < to && !SEPARATOR[b[end] & 0xFF]) {
      end++;
    }
    boolean closes = end < to || endOfInput;
    int consumed = decode(b, from, end, closes);
    if (closes) {
      chars.scan(true);
      decoder.reset();
      inRegion = false;
      return end;
    }
    chars.scan(false);
    inRegion = true;
    return consumed;
  }

  /** Decodes {@code b[from, to)} into the char scanner; returns the first byte not consumed. */
  private int decode(byte[] b, int from, int to, boolean endOfInput) {
    ByteBuffer in = byteView;
    if (in.array() != b) {
      in = byteView = ByteBuffer.wrap(b);
    }
    in.limit(to).position(from);
    while (true) {
      CoderResult result = decoder.decode(in, charsOut(), endOfInput);
      chars.appended(charView.position() - chars.limit());
      if (result.isUnderflow()) {
        break;
      }
      if (!result.isOverflow()) {
        throw failure(result);
      }
      chars.scan(false);
    }
    if (endOfInput) {
      while (decoder.flush(charsOut()).isOverflow()) {
        chars.appended(charView.position() - chars.limit());
        chars.scan(false);
      }
      chars.appended(charView.position() - chars.limit());
    }
    return in.position();
  }

  /** Returns a view of the char scanner's free space. */
  private CharBuffer charsOut() {
    CharBuffer out = charView;
    if (!out.hasArray() || out.array() != chars.buffer()) {
      out = charView = CharBuffer.wrap(chars.buffer());
    }
    out.limit(out.capacity()).position(chars.limit());
    return out;
  }

  private static IllegalStateException failure(CoderResult result) {
    try {
      result.throwException();
    } catch (CharacterCodingException e) {
      return new IllegalStateException("decoder reported an error despite REPLACE", e);
    }
    return new IllegalStateException("unexpected decoder result " + result);
  }
}
