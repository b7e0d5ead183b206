package io.troupe.examples.wordcount;

import java.util.Arrays;
import java.util.Locale;

/**
 * Finds words in decoded text that arrives in blocks and counts them, lowercased, into a {@link
 * WordCounts}: the full Unicode rules, which {@link Utf8Scanner} applies to the stretches of text
 * that are not plain ASCII.
 *
 * <p>Implementation notes: the scanner owns a char buffer that callers fill at {@link #limit()}
 * (from a decoder) and then call {@link #scan}. A word that reaches the end of the chars so far, or
 * a high surrogate whose low half has not arrived, is left unconsumed; after each scan the buffer
 * is compacted so that only that tail remains, at its start, to be scanned again with the chars
 * that follow. The buffer doubles whenever the tail fills more than half of it, so each call reads
 * at least half a buffer of new chars, rescanning costs O(1) per char amortized, and a word of any
 * length is seen whole.
 *
 * <p>A word is a maximal run of code points of general category L or N (exactly {@code
 * [\p{L}\p{N}]+}). Runs of ASCII letters and digits, the bulk of most text, are lowercased and
 * packed into a key in the same pass that finds them; any other word goes through {@link #emit},
 * which classifies code points with {@link Character#getType(int)}.
 */
final class WordScanner {

  /** Bit set of the {@link Character#getType} categories that make up words: L* and N*. */
  private static final int WORD_TYPES =
      (1 << Character.UPPERCASE_LETTER)
          | (1 << Character.LOWERCASE_LETTER)
          | (1 << Character.TITLECASE_LETTER)
          | (1 << Character.MODIFIER_LETTER)
          | (1 << Character.OTHER_LETTER)
          | (1 << Character.DECIMAL_DIGIT_NUMBER)
          | (1 << Character.LETTER_NUMBER)
          | (1 << Character.OTHER_NUMBER);

  /** Indexed by an ASCII char: true for {@code [A-Za-z0-9]}, the ASCII word chars. */
  private static final boolean[] ASCII_WORD = new boolean[128];

  static {
    for (int c = 0; c < 128; c++) {
      ASCII_WORD[c] = isWordCodePoint(c);
    }
  }

  private WordCounts into;
  private char[] buf;
  private int limit;

  /** Scratch for lowercased words: twice the buffer, as lowercasing may double a word's length. */
  private char[] lower;

  WordScanner(WordCounts into, int capacity) {
    this.into = into;
    this.buf = new char[Math.max(16, capacity)];
    this.lower = new char[2 * buf.length];
  }

  /** Starts a new text, counted into {@code table}; drops any chars left of the last one. */
  void reset(WordCounts table) {
    into = table;
    limit = 0;
  }

  /** True if the code point belongs to words: a letter or a number of any kind. */
  static boolean isWordCodePoint(int cp) {
    return ((WORD_TYPES >>> Character.getType(cp)) & 1) != 0;
  }

  /** The buffer to fill from {@link #limit()}; valid until the next {@link #scan}. */
  char[] buffer() {
    return buf;
  }

  /** Number of chars in the buffer. */
  int limit() {
    return limit;
  }

  /** Number of chars that may be appended at {@link #limit()}; at least half the buffer. */
  int free() {
    return buf.length - limit;
  }

  /** Records that {@code n} chars were appended at {@link #limit()}. */
  void appended(int n) {
    limit += n;
  }

  /**
   * Counts the words completed by the chars appended so far; with {@code endOfInput} also the final
   * word, after which the scanner is empty and may be reused for more text.
   */
  void scan(boolean endOfInput) {
    final char[] b = buf;
    final int end = limit;
    int i = 0;
    scanning:
    while (i < end) {
      char c = b[i];
      if (c < 0x80) {
        if (!ASCII_WORD[c]) {
          i++;
          continue;
        }
        // An ASCII run: for [A-Za-z0-9], c | 0x20 is the lowercase char. Pack the first 8 at 8
        // bits each, as WordKeys does; longer runs are lowercased again by emitAscii.
        int start = i;
        long bits = 0;
        int shift = 0;
        do {
          bits |= (long) (c | 0x20) << shift;
          shift += 8;
          if (++i == end) {
            break;
          }
          c = b[i];
        } while (c < 0x80 && ASCII_WORD[c]);
        // The run is a whole word if an ASCII non-word char or the end of input follows it.
        if (i < end ? c < 0x80 : endOfInput) {
          int len = i - start;
          if (len <= 8) {
            into.addPacked(bits);
          } else {
            emitAscii(b, start, i);
          }
          continue;
        }
        i = start; // the word may go on past ASCII or past this block: take the general route
      }
      int wordEnd = wordEnd(b, i, end, endOfInput);
      if (wordEnd < 0) {
        break scanning; // the word or a surrogate pair may go on in the next block
      }
      if (wordEnd == i) {
        i +=
            Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(b[i + 1])
                ? 2
                : 1;
      } else {
        emit(b, i, wordEnd);
        i = wordEnd;
      }
    }
    compact(i);
  }

  /**
   * Returns the end of the word starting at {@code from}, {@code from} itself if no word starts
   * there, or -1 if the answer depends on chars not yet in the buffer.
   */
  private static int wordEnd(char[] b, int from, int end, boolean endOfInput) {
    int i = from;
    while (i < end) {
      char c = b[i];
      int cp = c;
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == end) {
          return endOfInput ? i : -1;
        }
        char d = b[i + 1];
        if (Character.isLowSurrogate(d)) {
          cp = Character.toCodePoint(c, d);
        }
      }
      boolean word = c < 0x80 ? ASCII_WORD[c] : isWordCodePoint(cp);
      if (!word) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return endOfInput ? i : -1;
  }

  private void compact(int consumed) {
    int tail = limit - consumed;
    if (consumed > 0) {
      System.arraycopy(buf, consumed, buf, 0, tail);
    }
    limit = tail;
    if (tail > buf.length >>> 1) {
      if (buf.length > Integer.MAX_VALUE / 4 - 16) {
        throw new IllegalStateException("word longer than " + tail + " chars");
      }
      buf = Arrays.copyOf(buf, buf.length << 1);
      lower = new char[2 * buf.length];
    }
  }

  /** Lowercases {@code b[from, to)}, a word of ASCII letters and digits, and counts it. */
  private void emitAscii(char[] b, int from, int to) {
    char[] out = lower;
    int hash = 0;
    for (int k = 0, i = from; i < to; k++, i++) {
      char l = (char) (b[i] | 0x20);
      out[k] = l;
      hash = 31 * hash + l;
    }
    into.add(out, to - from, hash, 1);
  }

  /**
   * Lowercases {@code b[from, to)}, a word with a non-ASCII char, and counts it.
   *
   * <p>{@link String#toLowerCase(Locale)} with {@link Locale#ROOT} maps each code point through
   * {@link Character#toLowerCase(int)} except for two context- or length-changing cases, capital
   * sigma (final sigma rule) and capital I with dot above; words holding either take the String
   * route so that the result is exactly that of {@code toLowerCase(Locale.ROOT)}.
   */
  private void emit(char[] b, int from, int to) {
    char[] out = lower;
    int j = 0;
    int h = 0;
    for (int i = from; i < to; ) {
      int cp = Character.codePointAt(b, i, to);
      if (cp == '\u03A3' || cp == '\u0130') {
        into.add(new String(b, from, to - from).toLowerCase(Locale.ROOT));
        return;
      }
      i += Character.charCount(cp);
      int lc = Character.toLowerCase(cp);
      if (Character.isBmpCodePoint(lc)) {
        out[j++] = (char) lc;
        h = 31 * h + lc;
      } else {
        char hi = Character.highSurrogate(lc);
        char lo = Character.lowSurrogate(lc);
        out[j++] = hi;
        out[j++] = lo;
        h = 31 * (31 * h + hi) + lo;
      }
    }
    into.add(out, j, h, 1);
  }
}
