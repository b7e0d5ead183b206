package io.troupe.examples.wordcount;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * <p>Implementation notes: an ASCII byte is a whole character that no UTF-8 decoder ever folds into
 * a neighbouring sequence, malformed or not. So the text splits, at its ASCII bytes other than
 * {@code [A-Za-z0-9]} (separators), into <em>runs</em>: maximal stretches of ASCII letters and
 * digits and of bytes of 0x80 or more. Every word lies inside one run, and decoding a run on its
 * own gives the same word chars as decoding the whole text would (only the number of U+FFFD for
 * malformed input may differ, and U+FFFD separates words either way). A run of ASCII only is one
 * word: lowercased by setting bit 5 of each byte and, up to 8 chars, used as its own table key
 * ({@link WordCounts#addPacked}), with no chars made. Any other run goes through the JDK's UTF-8
 * decoder (malformed input replaced) into a {@link WordScanner}, which applies the full Unicode
 * rules.
 *
 * <p>Runs are found in two passes over spans of {@link #SPAN} bytes, so that the loop over bytes
 * has no data-dependent branch (a scalar loop mispredicts the end of nearly every word): the first
 * records the positions where runs start and end, the second counts each run, reading up to 8 bytes
 * of it at once.
 *
 * <p>Bytes arrive in blocks ({@link #scan} returns how far it got): an ASCII run that reaches the
 * end of a block is left to the caller to hand in again with the next block; any other run that
 * does is streamed on through the decoder, which keeps memory bounded however long it is (text in a
 * script without ASCII spaces is one long run). One instance per thread.
 */
final class Utf8Scanner {

  /** Bytes whose run edges are found at a time: the edges stay in the L1 cache. */
  static final int SPAN = 2048;

  /** Indexed by a byte's unsigned value: 1 for {@code [A-Za-z0-9]} and bytes of 0x80 or more. */
  private static final byte[] IN_RUN = new byte[256];

  /** {@code LOW_BYTES[n]}: the low {@code n} bytes of a long set, for n from 0 to 8. */
  private static final long[] LOW_BYTES = new long[9];

  private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

  /** Bit 5 of every byte: lowercases {@code [A-Z]} and leaves {@code [a-z0-9]} as they are. */
  private static final long LOWERCASE = 0x2020_2020_2020_2020L;

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  static {
    for (int c = 0; c < 256; c++) {
      boolean ascii = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      IN_RUN[c] = (byte) (ascii || c >= 0x80 ? 1 : 0);
    }
    for (int n = 0; n < 8; n++) {
      LOW_BYTES[n] = (1L << (8 * n)) - 1;
    }
    LOW_BYTES[8] = -1L;
  }

  private final CharsetDecoder decoder = newDecoder();
  private final WordScanner chars;
  private final int[] edges = new int[SPAN + 1];
  private WordCounts into;

  /** True while a run with non-ASCII bytes is open: its bytes so far went into the decoder. */
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
   *     {@code to} with {@code endOfInput}, else the start of an ASCII run that may go on, or the
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
    final int[] edge = edges;
    int open = -1; // start of a run that goes on past the span scanned so far
    while (i < to) {
      int spanEnd = Math.min(to, i + SPAN);
      // Pass 1: every position where a run starts or ends, without branches.
      int n = 0;
      int inside = open >= 0 ? 1 : 0;
      for (int p = i; p < spanEnd; p++) {
        int in = IN_RUN[b[p] & 0xFF];
        edge[n] = p;
        n += in ^ inside;
        inside = in;
      }
      // Pass 2: count the runs that ended; edges alternate start, end unless a run was open.
      int k = 0;
      if (open >= 0 && n > 0) {
        run(b, open, edge[0]);
        open = -1;
        k = 1;
      }
      for (; k + 1 < n; k += 2) {
        run(b, edge[k], edge[k + 1]);
      }
      if (k < n) {
        open = edge[k];
      }
      i = spanEnd;
    }
    if (open < 0) {
      return to;
    }
    if (endOfInput) {
      run(b, open, to);
      return to;
    }
    for (int p = open; p < to; p++) {
      if (b[p] < 0) {
        return region(b, open, to, false); // streams the run on through the decoder
      }
    }
    return open; // an ASCII word that may go on in the next block
  }

  /** Counts the run {@code b[from, to)}, which is complete. */
  private void run(byte[] b, int from, int to) {
    int len = to - from;
    if (len <= 8 && from + 8 <= b.length) {
      long bytes = (long) LONG_LE.get(b, from) & LOW_BYTES[len];
      if ((bytes & HIGH_BITS) == 0) {
        into.addPacked(bytes | (LOWERCASE & LOW_BYTES[len]));
        return;
      }
    } else {
      long bits = 0;
      boolean ascii = true;
      for (int p = from; p < to; p++) {
        bits |= (long) (b[p] | 0x20) << (8 * (p - from)); // beyond 8 chars, not used
        ascii &= b[p] >= 0;
      }
      if (ascii) {
        if (len <= 8) {
          into.addPacked(bits);
        } else {
          into.addAscii(b, from, len);
        }
        return;
      }
    }
    if (!decodeWellFormed(b, from, to)) {
      decode(b, from, to, true);
      decoder.reset();
    }
    chars.scan(true);
  }

  /**
   * Decodes the complete run {@code b[from, to)} into the char scanner, which is empty, if it is
   * well-formed UTF-8 and fits; returns false, having appended nothing, otherwise. Well-formed
   * UTF-8 has exactly one decoding, so this agrees with the JDK's decoder; malformed input is left
   * to that decoder, whose replacements then decide.
   */
  private boolean decodeWellFormed(byte[] b, int from, int to) {
    char[] out = chars.buffer();
    if (chars.limit() != 0 || to - from > out.length) {
      return false;
    }
    int at = 0;
    int p = from;
    while (p < to) {
      int c = b[p];
      if (c >= 0) {
        out[at++] = (char) c;
        p++;
        continue;
      }
      c &= 0xFF;
      int c1 = p + 1 < to ? b[p + 1] & 0xFF : 0;
      if (c >= 0xC2 && c <= 0xDF && (c1 & 0xC0) == 0x80) {
        out[at++] = (char) (((c & 0x1F) << 6) | (c1 & 0x3F));
        p += 2;
        continue;
      }
      int c2 = p + 2 < to ? b[p + 2] & 0xFF : 0;
      if (c >= 0xE0 && c <= 0xEF && (c2 & 0xC0) == 0x80) {
        // E0 needs A0-BF next (no overlong forms), ED needs 80-9F (no surrogates).
        int low = c == 0xE0 ? 0xA0 : 0x80;
        int high = c == 0xED ? 0x9F : 0xBF;
        if (c1 < low || c1 > high) {
          return false;
        }
        out[at++] = (char) (((c & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F));
        p += 3;
        continue;
      }
      int c3 = p + 3 < to ? b[p + 3] & 0xFF : 0;
      if (c >= 0xF0 && c <= 0xF4 && (c2 & 0xC0) == 0x80 && (c3 & 0xC0) == 0x80) {
        // F0 needs 90-BF next (no overlong forms), F4 needs 80-8F (nothing past U+10FFFF).
        int low = c == 0xF0 ? 0x90 : 0x80;
        int high = c == 0xF4 ? 0x8F : 0xBF;
        if (c1 < low || c1 > high) {
          return false;
        }
        int cp = ((c & 0x07) << 18) | ((c1 & 0x3F) << 12) | ((c2 & 0x3F) << 6) | (c3 & 0x3F);
        out[at++] = Character.highSurrogate(cp);
        out[at++] = Character.lowSurrogate(cp);
        p += 4;
        continue;
      }
      return false;
    }
    chars.appended(at);
    return true;
  }

  /**
   * Decodes and counts a run with non-ASCII bytes from {@code from} (its start, or where it went
   * on) up to the next ASCII separator, which ends it; returns where scanning goes on. If no
   * separator comes before {@code to} and the input goes on, the run stays open and the index of
   * the first byte the decoder left (an incomplete character) is returned.
   */
  private int region(byte[] b, int from, int to, boolean endOfInput) {
    int end = from;
    while (end < to && IN_RUN[b[end] & 0xFF] != 0) {
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
