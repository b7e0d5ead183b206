package io.troupe.examples.wordcount;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The compact binary form of a {@link WordCounts}: the number of words as a varint, then per word
 * its length in chars (varint), its chars in CESU-8 (one to three bytes per char, surrogates
 * encoded one by one, so any char array round-trips exactly) and its count (varint).
 */
final class WordCountsCodec {

  private WordCountsCodec() {}

  /** Writes 8 bytes at once, little-endian: a packed ASCII key's chars in order. */
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Returns the compact form of a table. */
  static byte[] toBytes(WordCounts table) {
    // Most words are short: start from ~10 bytes a word and grow if needed.
    byte[] out = new byte[Math.max(32, table.distinct() * 10)];
    int at = putVarint(out, 0, table.distinct());
    for (int i = 0, capacity = table.capacity(); i < capacity; i++) {
      long key = table.keyAt(i);
      if (key == 0) {
        continue;
      }
      // Room for the length (5 bytes), up to 3 bytes a char, the count (10) and the 8-byte store
      // of a packed word.
      int len = WordKeys.isPacked(key) ? WordKeys.packedLength(key) : WordKeys.hashedLength(key);
      long need = at + 5L + 3L * len + 10 + 8;
      if (need > out.length) {
        if (need > Integer.MAX_VALUE - 16) {
          throw new IllegalStateException("word table too large to serialize");
        }
        out =
            Arrays.copyOf(
                out, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, 2L * out.length)));
      }
      if (WordKeys.isAsciiPacked(key)) {
        out[at++] = (byte) len;
        LONG_LE.set(
            out, at, key & ~WordKeys.PACKED); // its chars, then zeros that later bytes overwrite
        at += len;
      } else if (WordKeys.isPacked(key)) {
        out[at++] = (byte) len;
        for (int k = 0; k < len; k++) {
          at = putChar(out, at, WordKeys.packedChar(key, k));
        }
      } else {
        at = putVarint(out, at, len);
        for (char c : table.wordAt(i)) {
          at = putChar(out, at, c);
        }
      }
      at = putVarint(out, at, table.countAt(i));
    }
    return Arrays.copyOf(out, at);
  }

  /** Reads a table's compact form; throws IllegalArgumentException if the bytes are not one. */
  static WordCounts fromBytes(byte[] bytes) {
    int[] at = {0};
    long n = getVarint(bytes, at);
    if (n < 0 || n > bytes.length) {
      throw new IllegalArgumentException("corrupt word table: " + n + " words");
    }
    WordCounts table = new WordCounts((int) n);
    for (long w = 0; w < n; w++) {
      int len = (int) getVarint(bytes, at);
      if (len <= 0 || len > bytes.length) {
        throw new IllegalArgumentException("corrupt word table: word length " + len);
      }
      char[] chars = new char[len];
      int hash = 0;
      for (int c = 0; c < len; c++) {
        int b = byteAt(bytes, at[0]++);
        char ch;
        if (b < 0x80) {
          ch = (char) b;
        } else if (b < 0xE0) {
          ch = (char) (((b & 0x1F) << 6) | (byteAt(bytes, at[0]++) & 0x3F));
        } else {
          int b1 = byteAt(bytes, at[0]++);
          int b2 = byteAt(bytes, at[0]++);
          ch = (char) (((b & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F));
        }
        chars[c] = ch;
        hash = 31 * hash + ch;
      }
      long count = getVarint(bytes, at);
      if (count <= 0) {
        throw new IllegalArgumentException("corrupt word table: count " + count);
      }
      table.addOwned(chars, len, hash, count);
    }
    if (at[0] != bytes.length) {
      throw new IllegalArgumentException("corrupt word table: trailing bytes");
    }
    return table;
  }

  private static int putChar(byte[] out, int at, char c) {
    if (c < 0x80) {
      out[at++] = (byte) c;
    } else if (c < 0x800) {
      out[at++] = (byte) (0xC0 | (c >> 6));
      out[at++] = (byte) (0x80 | (c & 0x3F));
    } else {
      out[at++] = (byte) (0xE0 | (c >> 12));
      out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
      out[at++] = (byte) (0x80 | (c & 0x3F));
    }
    return at;
  }

  private static int putVarint(byte[] out, int at, long value) {
    while ((value & ~0x7FL) != 0) {
      out[at++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[at++] = (byte) value;
    return at;
  }

  private static long getVarint(byte[] bytes, int[] at) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = byteAt(bytes, at[0]++);
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("corrupt word table: varint too long");
  }

  private static int byteAt(byte[] bytes, int index) {
    if (index >= bytes.length) {
      throw new IllegalArgumentException("corrupt word table: truncated");
    }
    return bytes[index] & 0xFF;
  }
}
