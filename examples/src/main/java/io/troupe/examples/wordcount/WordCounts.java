package io.troupe.examples.wordcount;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A mutable table from word to number of occurrences.
 *
 * <p>Implementation notes: an open-addressing hash table with linear probing, at most 70% full. The
 * hot data of a slot, a 64-bit key and the count, sit side by side in one {@code long[]}, so a
 * lookup usually touches a single cache line. The key of a short word (up to 8 ASCII or 7 Latin-1
 * chars) is the word itself, packed under a marker bit with its length, and equal keys mean equal
 * words; a longer word's key is its hash and length, and equal keys are confirmed against its
 * chars. Chars are kept as {@code char[]} rather than {@code String} so that the tokenizer can look
 * a word up straight from its scratch buffer and allocate only when the word is new; for short
 * ASCII words it does not even need the chars. A packed word's slot is chosen by its key, any other
 * word's by {@link String#hashCode()}, so every route to a word finds the same slot. Stored char
 * arrays are never mutated, which lets {@link #merge} share them between tables. Not thread-safe:
 * one owner at a time (an actor, or a single thread).
 */
public final class WordCounts {

  private static final int MIN_CAPACITY = 16;

  /** Marks a key that holds the word itself. */
  private static final long PACKED = Long.MIN_VALUE;

  /** Marks a packed key whose chars are 8-bit Latin-1 rather than 7-bit ASCII. */
  private static final long LATIN1 = 1L << 62;

  /** Position of the length in a packed key, above the 56 bits of chars. */
  private static final int LENGTH_SHIFT = 56;

  private static final int MAX_CAPACITY = 1 << 29;

  /** Per slot {@code s}: {@code [2s]} the key (0 if empty), {@code [2s + 1]} the count. */
  private long[] slots;

  /** Per slot: the word's chars, or null if empty. */
  private char[][] words;

  /**
   * Per slot: {@link String#hashCode()} of a word whose key is not packed, to rehash without
   * recomputing it; unused (possibly 0) for packed keys, whose slot comes from the key.
   */
  private int[] hashes;

  private int capacity;
  private int resizeAt;
  private int size;
  private long total;

  /** Creates an empty table. */
  public WordCounts() {
    allocate(MIN_CAPACITY);
  }

  /**
   * Returns a table holding the given counts.
   *
   * @param counts word to count; words must be non-empty and counts not negative (zero counts are
   *     skipped)
   * @return a new table
   */
  public static WordCounts fromMap(Map<String, Long> counts) {
    WordCounts table = new WordCounts();
    counts.forEach((word, n) -> table.add(word, Objects.requireNonNull(n, "count")));
    return table;
  }

  /**
   * Adds one occurrence of a word.
   *
   * @param word a non-empty word, taken as is (callers lowercase it)
   */
  public void add(String word) {
    add(word, 1);
  }

  /**
   * Adds {@code n} occurrences of a word; adding zero occurrences changes nothing.
   *
   * @param word a non-empty word, taken as is (callers lowercase it)
   * @param n number of occurrences; not negative
   * @throws IllegalArgumentException if the word is empty or {@code n} is negative
   */
  public void add(String word, long n) {
    Objects.requireNonNull(word, "word");
    if (word.isEmpty()) {
      throw new IllegalArgumentException("word must not be empty");
    }
    if (n < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + n + " for " + word);
    }
    if (n > 0) {
      char[] chars = word.toCharArray();
      add(chars, chars.length, word.hashCode(), n, false);
    }
  }

  /**
   * Adds {@code n} occurrences of the word in {@code chars[0, len)}, whose {@link
   * String#hashCode()} is {@code hash}; copies the chars only if the word is new.
   */
  void add(char[] chars, int len, int hash, long n) {
    add(chars, len, hash, n, true);
  }

  /**
   * Adds one occurrence of a word of 1 to 8 ASCII chars given as {@code bits}, char {@code k} in
   * bits {@code 7k} to {@code 7k + 6}: the tokenizer's fast path, which needs neither the chars nor
   * their hash unless the word is new.
   */
  void addAscii(long bits, int len) {
    long key = PACKED | ((long) len << LENGTH_SHIFT) | bits;
    long[] s = slots;
    int mask = capacity - 1;
    for (int i = spread(key) & mask; ; i = (i + 1) & mask) {
      long k = s[2 * i];
      if (k == key) {
        s[2 * i + 1]++;
        total++;
        return;
      }
      if (k == 0) {
        char[] chars = new char[len];
        for (int j = 0; j < len; j++) {
          chars[j] = (char) ((bits >>> (7 * j)) & 0x7F);
        }
        insert(i, key, chars, 0, 1);
        return;
      }
    }
  }

  private void add(char[] chars, int len, int hash, long n, boolean copy) {
    add(key(chars, len, hash), chars, len, hash, n, copy);
  }

  private void add(long key, char[] chars, int len, int hash, long n, boolean copy) {
    boolean packed = key < 0;
    long[] s = slots;
    int mask = capacity - 1;
    for (int i = slot(key, hash) & mask; ; i = (i + 1) & mask) {
      long k = s[2 * i];
      if (k == key && (packed || Arrays.equals(words[i], 0, len, chars, 0, len))) {
        s[2 * i + 1] += n;
        total += n;
        return;
      }
      if (k == 0) {
        insert(i, key, copy ? Arrays.copyOf(chars, len) : chars, hash, n);
        return;
      }
    }
  }

  /**
   * Adds every count of {@code other} into this table; {@code other} is unchanged.
   *
   * @param other the counts to add
   */
  public void merge(WordCounts other) {
    long[] otherSlots = other.slots;
    char[][] otherWords = other.words;
    int[] otherHashes = other.hashes;
    for (int j = 0; j < other.capacity; j++) {
      if (otherSlots[2 * j] != 0) {
        char[] word = otherWords[j];
        add(otherSlots[2 * j], word, word.length, otherHashes[j], otherSlots[2 * j + 1], false);
      }
    }
  }

  /** Returns the sum of all counts: the number of word occurrences. */
  public long total() {
    return total;
  }

  /** Returns the number of distinct words. */
  public int distinct() {
    return size;
  }

  /**
   * Returns how often a word occurred, 0 if never.
   *
   * @param word the word, compared exactly
   * @return its count
   */
  public long count(String word) {
    if (word.isEmpty()) {
      return 0;
    }
    char[] chars = word.toCharArray();
    int hash = word.hashCode();
    long key = key(chars, chars.length, hash);
    int mask = capacity - 1;
    for (int i = slot(key, hash) & mask; ; i = (i + 1) & mask) {
      long k = slots[2 * i];
      if (k == key && (key < 0 || Arrays.equals(words[i], chars))) {
        return slots[2 * i + 1];
      }
      if (k == 0) {
        return 0;
      }
    }
  }

  /**
   * Returns the table in a compact binary form, read back by {@link #fromBytes}: the number of
   * words as a varint, then per word its length in chars (varint), its chars in CESU-8 (one to
   * three bytes per char, surrogates encoded one by one, so any char array round-trips exactly) and
   * its count (varint). No {@code String} is created: this is how a table crosses nodes and goes
   * into the job ledger.
   *
   * @return the bytes
   */
  public byte[] toBytes() {
    byte[] out = new byte[Math.max(16, size * 12)];
    int at = putVarint(out, 0, size);
    for (int i = 0; i < capacity; i++) {
      char[] word = words[i];
      if (word == null) {
        continue;
      }
      int need = at + 10 + 3 * word.length + 10;
      if (need > out.length) {
        out = Arrays.copyOf(out, Math.max(need, out.length * 2));
      }
      at = putVarint(out, at, word.length);
      for (char c : word) {
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
      }
      at = putVarint(out, at, slots[2 * i + 1]);
    }
    return Arrays.copyOf(out, at);
  }

  /**
   * Reads a table written by {@link #toBytes}.
   *
   * @param bytes the compact form
   * @return a new table
   * @throws IllegalArgumentException if the bytes are not a table's compact form
   */
  public static WordCounts fromBytes(byte[] bytes) {
    WordCounts table = new WordCounts();
    int[] at = {0};
    long n = getVarint(bytes, at);
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
      table.add(chars, len, hash, count, false);
    }
    if (at[0] != bytes.length) {
      throw new IllegalArgumentException("corrupt word table: trailing bytes");
    }
    return table;
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

  /** Returns a new mutable map from word to count, holding every word of this table. */
  public Map<String, Long> toMap() {
    Map<String, Long> map = new HashMap<>(Math.max(16, (int) (size / 0.75f) + 1));
    forEach(map::put);
    return map;
  }

  /**
   * Passes every word and its count to {@code action}, in no particular order.
   *
   * @param action receives each word and its count
   */
  public void forEach(BiConsumer<String, Long> action) {
    Objects.requireNonNull(action, "action");
    for (int i = 0; i < capacity; i++) {
      if (words[i] != null) {
        action.accept(new String(words[i]), slots[2 * i + 1]);
      }
    }
  }

  /**
   * Returns the {@code n} most frequent words, by count descending then word ascending ({@link
   * String#compareTo}); fewer if there are fewer distinct words.
   *
   * @param n how many words at most; not negative
   * @return the words with their counts, most frequent first
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public List<WordCount> top(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("top must not be negative, was " + n);
    }
    int k = Math.min(n, size);
    if (k == 0) {
      return List.of();
    }
    // A heap of slots with the lowest-ranked kept word at the root, so that each further word
    // costs one comparison unless it displaces the root.
    int[] heap = new int[k];
    int heapSize = 0;
    for (int i = 0; i < capacity; i++) {
      if (words[i] == null) {
        continue;
      }
      if (heapSize < k) {
        heap[heapSize] = i;
        siftUp(heap, heapSize++);
      } else if (ranksBefore(i, heap[0])) {
        heap[0] = i;
        siftDown(heap, heapSize);
      }
    }
    WordCount[] result = new WordCount[k];
    while (heapSize > 0) {
      int slot = heap[0];
      result[--heapSize] = new WordCount(new String(words[slot]), slots[2 * slot + 1]);
      heap[0] = heap[heapSize];
      siftDown(heap, heapSize);
    }
    return List.of(result);
  }

  /** Returns a short description: the number of distinct words and the total. */
  @Override
  public String toString() {
    return "WordCounts[distinct=" + size + ", total=" + total + "]";
  }

  /** True if the word in slot {@code a} comes before the word in slot {@code b} in top order. */
  private boolean ranksBefore(int a, int b) {
    long countA = slots[2 * a + 1];
    long countB = slots[2 * b + 1];
    if (countA != countB) {
      return countA > countB;
    }
    // Arrays.compare on chars orders like String.compareTo: by UTF-16 unit, then by length.
    return Arrays.compare(words[a], words[b]) < 0;
  }

  private void siftUp(int[] heap, int at) {
    int slot = heap[at];
    while (at > 0) {
      int parent = (at - 1) >>> 1;
      if (!ranksBefore(heap[parent], slot)) {
        break;
      }
      heap[at] = heap[parent];
      at = parent;
    }
    heap[at] = slot;
  }

  private void siftDown(int[] heap, int heapSize) {
    if (heapSize == 0) {
      return;
    }
    int slot = heap[0];
    int at = 0;
    while (true) {
      int child = 2 * at + 1;
      if (child >= heapSize) {
        break;
      }
      if (child + 1 < heapSize && ranksBefore(heap[child], heap[child + 1])) {
        child++;
      }
      if (!ranksBefore(slot, heap[child])) {
        break;
      }
      heap[at] = heap[child];
      at = child;
    }
    heap[at] = slot;
  }

  private void insert(int slot, long key, char[] word, int hash, long n) {
    slots[2 * slot] = key;
    slots[2 * slot + 1] = n;
    words[slot] = word;
    hashes[slot] = hash;
    total += n;
    if (++size > resizeAt) {
      grow();
    }
  }

  private void grow() {
    if (capacity >= MAX_CAPACITY) {
      throw new IllegalStateException("too many distinct words: " + size);
    }
    long[] oldSlots = slots;
    char[][] oldWords = words;
    int[] oldHashes = hashes;
    int oldCapacity = capacity;
    allocate(oldCapacity << 1);
    int mask = capacity - 1;
    for (int j = 0; j < oldCapacity; j++) {
      if (oldWords[j] != null) {
        int i = slot(oldSlots[2 * j], oldHashes[j]) & mask;
        while (words[i] != null) {
          i = (i + 1) & mask;
        }
        slots[2 * i] = oldSlots[2 * j];
        slots[2 * i + 1] = oldSlots[2 * j + 1];
        words[i] = oldWords[j];
        hashes[i] = oldHashes[j];
      }
    }
  }

  private void allocate(int newCapacity) {
    capacity = newCapacity;
    resizeAt = (int) (newCapacity * 0.7);
    slots = new long[2 * newCapacity];
    words = new char[newCapacity][];
    hashes = new int[newCapacity];
  }

  /**
   * Returns the slot key of a word. Short words are packed whole under the sign bit, with their
   * length, so equal keys mean equal words: up to 8 ASCII chars at 7 bits each, or else up to 7
   * Latin-1 chars at 8 bits each (with the Latin-1 flag). Any other word's key is its hash and
   * length, non-zero with the sign bit clear.
   */
  private static long key(char[] chars, int len, int hash) {
    if (len <= 8) {
      long bits = 0;
      int k = 0;
      while (k < len && chars[k] < 0x80) {
        bits |= (long) chars[k] << (7 * k);
        k++;
      }
      if (k == len) {
        return PACKED | ((long) len << LENGTH_SHIFT) | bits;
      }
      if (len <= 7) {
        bits = 0;
        k = 0;
        while (k < len && chars[k] <= 0xFF) {
          bits |= (long) chars[k] << (8 * k);
          k++;
        }
        if (k == len) {
          return PACKED | LATIN1 | ((long) len << LENGTH_SHIFT) | bits;
        }
      }
    }
    return ((hash & 0xFFFF_FFFFL) << 31) | len;
  }

  /** Returns the probe start: from the key for packed words, else from the String hash. */
  private static int slot(long key, int hash) {
    return key < 0 ? spread(key) : spread(hash);
  }

  /** Mixes the high bits of a String hash into the low bits used to pick a slot. */
  private static int spread(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  /** Mixes a packed key down to an int whose low bits pick a slot. */
  private static int spread(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 32) ^ (int) h;
  }
}
