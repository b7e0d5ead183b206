package io.troupe.examples.wordcount;

/**
 * The compact binary form of a {@link WordCounts}: the number of words as a varint, then per word
 * its length in chars (varint), its chars in CESU-8 (one to three bytes per char, surrogates
 * encoded one by one, so any char array round-trips exactly) and its count (varint).
 */
final class WordCountsCodec {

  private WordCountsCodec() {}

  /** Returns the compact form of a table, in an array of exactly its size. */
  static byte[] toBytes(WordCounts table) {
    int capacity = table.capacity();
    long size = varintSize(table.distinct());
    for (int i = 0; i < capacity; i++) {
      long key = table.keyAt(i);
      if (key != 0) {
        int len = WordKeys.isPacked(key) ? WordKeys.packedLength(key) : table.wordAt(i).length;
        size += varintSize(len) + encodedSize(table, i, key, len) + varintSize(table.countAt(i));
      }
    }
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("word table too large to serialize: " + size + " bytes");
    }
    byte[] out = new byte[(int) size];
    int at = putVarint(out, 0, table.distinct());
    for (int i = 0; i < capacity; i++) {
      long key = table.keyAt(i);
      if (key == 0) {
        continue;
      }
      if (WordKeys.isPacked(key)) {
        int len = WordKeys.packedLength(key);
        out[at++] = (byte) len;
        for (int k = 0; k < len; k++) {
          at = putChar(out, at, WordKeys.packedChar(key, k));
        }
      } else {
        char[] word = table.wordAt(i);
        at = putVarint(out, at, word.length);
        for (char c : word) {
          at = putChar(out, at, c);
        }
      }
      at = putVarint(out, at, table.countAt(i));
    }
    return out;
  }

  /** Returns the number of bytes the chars of the word in slot {@code i} take. */
  private static int encodedSize(WordCounts table, int i, long key, int len) {
    int size = 0;
    if (WordKeys.isPacked(key)) {
      for (int k = 0; k < len; k++) {
        size += WordKeys.packedChar(key, k) < 0x80 ? 1 : 2;
      }
    } else {
      for (char c : table.wordAt(i)) {
        size += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
    }
    return size;
  }

  private static int varintSize(long value) {
    return value == 0 ? 1 : (70 - Long.numberOfLeadingZeros(value)) / 7;
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
