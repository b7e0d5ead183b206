package io.troupe.examples.wordcount;

/**
 * The 64-bit slot keys of {@link WordCounts}.
 *
 * <p>A short word is packed whole into its key, under the sign bit, so that equal keys mean equal
 * words and the table needs no chars for it:
 *
 * <ul>
 *   <li>1 to 8 ASCII chars: char {@code k} in byte {@code k} (little-endian), unused bytes zero.
 *       This is exactly the lowercased bytes of the word as the byte scanner reads them, so the
 *       scanner builds the key with one OR per byte.
 *   <li>1 to 7 chars up to U+00FF, at least one not ASCII (Latin-1 letters such as é or ß): char
 *       {@code k} in byte {@code k}, byte 7 all ones. An ASCII word's byte 7 is never all ones,
 *       since U+007F is not a word char.
 * </ul>
 *
 * Word chars are never U+0000, so a packed word's length is its number of non-zero char bytes. Any
 * other word's key is its {@link String#hashCode()} and its length, non-zero with the sign bit
 * clear; equal keys then have to be confirmed against the chars. The choice depends only on the
 * word, so every route to a word (bytes, chars, a {@code String}, a table's compact form) gives the
 * same key.
 */
final class WordKeys {

  /** Marks a key that holds the word itself. */
  static final long PACKED = Long.MIN_VALUE;

  /** Byte 7 of a packed Latin-1 key. */
  private static final long LATIN1 = 0xFFL << 56;

  private WordKeys() {}

  /** Returns the key of the word in {@code chars[0, len)}, whose String hash is {@code hash}. */
  static long key(char[] chars, int len, int hash) {
    if (len <= 8) {
      long bits = 0;
      int k = 0;
      while (k < len && chars[k] < 0x80) {
        bits |= (long) chars[k] << (8 * k);
        k++;
      }
      if (k == len) {
        return PACKED | bits;
      }
      if (len <= 7) {
        while (k < len && chars[k] <= 0xFF) {
          bits |= (long) chars[k] << (8 * k);
          k++;
        }
        if (k == len) {
          return LATIN1 | bits;
        }
      }
    }
    return hashKey(hash, len);
  }

  /** Returns the key of a word that is not packed. */
  static long hashKey(int hash, int len) {
    return ((hash & 0xFFFF_FFFFL) << 31) | len;
  }

  /** Returns the length of a word whose key is not packed. */
  static int hashedLength(long key) {
    return (int) (key & 0x7FFF_FFFFL);
  }

  /** True if the key holds its word. */
  static boolean isPacked(long key) {
    return key < 0;
  }

  /** True if the key holds an ASCII word, whose bytes 0 to 7 are its chars (byte 7 masked). */
  static boolean isAsciiPacked(long key) {
    return key < 0 && (key & LATIN1) != LATIN1;
  }

  /** Returns the length of the word packed in {@code key}. */
  static int packedLength(long key) {
    // Chars sit in bytes 0 to 6 (Latin-1) or 0 to 7 (ASCII, whose byte 7 carries the marker bit);
    // every char is non-zero and unused bytes are zero.
    long chars = (key & LATIN1) == LATIN1 ? key & ~LATIN1 : key & ~PACKED;
    return chars == 0 ? 0 : 8 - Long.numberOfLeadingZeros(chars) / 8;
  }

  /** Returns char {@code k} of the word packed in {@code key}. */
  static char packedChar(long key, int k) {
    // Only an ASCII key has a char in byte 7, whose top bit is the marker.
    return (char) ((key >>> (8 * k)) & (k == 7 ? 0x7F : 0xFF));
  }

  /** Returns the chars of the word packed in {@code key}. */
  static char[] unpack(long key) {
    char[] chars = new char[packedLength(key)];
    for (int k = 0; k < chars.length; k++) {
      chars[k] = packedChar(key, k);
    }
    return chars;
  }

  /** Returns the String hash of the word packed in {@code key}. */
  static int packedHash(long key) {
    int hash = 0;
    for (int k = 0, len = packedLength(key); k < len; k++) {
      hash = 31 * hash + packedChar(key, k);
    }
    return hash;
  }

  /**
   * Returns the home hash of a word, from the key if packed, else from its String hash. A table of
   * 2^b slots takes its top b bits as the home slot, so a word's home in a table twice the size is
   * one of the two slots under its home in the smaller one: walking a table in slot order visits
   * words in nearly the order of their homes in any other table, which keeps a merge's probes close
   * together.
   */
  static int home(long key, int hash) {
    return key < 0 ? home(key) : home(hash);
  }

  /** Fibonacci hashing of a String hash: the top bits of the product depend on all of its bits. */
  static int home(int hash) {
    return hash * 0x9E3779B9;
  }

  /** Fibonacci hashing of a packed key, keeping the top half of the product. */
  static int home(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32);
  }
}
