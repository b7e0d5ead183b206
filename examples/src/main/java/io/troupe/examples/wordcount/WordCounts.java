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
 * lookup usually touches a single cache line. A short word is packed whole into its key ({@link
 * WordKeys}): equal keys mean equal words, and the table stores no chars for it, so counting a new
 * short word allocates nothing and merging two tables of short words only adds longs. A longer
 * word's key is its hash and length; its chars are kept as a {@code char[]} (so the scanners can
 * look a word up straight from their buffers and copy it only when it is new) and equal keys are
 * confirmed against them. Stored char arrays are never mutated, which lets {@link #merge} share
 * them between tables. Not thread-safe: one owner at a time (an actor, or a single thread).
 */
public final class WordCounts {

  private static final int MIN_CAPACITY = 16;

  private static final int MAX_CAPACITY = 1 << 29;

  /** Per slot {@code s}: {@code [2s]} the key (0 if empty), {@code [2s + 1]} the count. */
  private long[] slots;

  /**
   * Per slot: the chars of a word whose key is not packed; null for packed keys and empty slots.
   */
  private char[][] words;

  /**
   * Per slot: {@link String#hashCode()} of a word whose key is not packed, to rehash without
   * recomputing it; unused for packed keys, whose slot comes from the key.
   */
  private int[] hashes;

  private int capacity;

  /** {@code 32 - log2(capacity)}: a home hash shifted right by it is a slot. */
  private int shift;

  private int resizeAt;
  private int size;
  private long total;

  /** Creates an empty table. */
  public WordCounts() {
    this(0);
  }

  /**
   * Creates an empty table with room for {@code expectedWords} distinct words before it grows.
   *
   * @param expectedWords a hint; not negative
   */
  WordCounts(int expectedWords) {
    int capacity = MIN_CAPACITY;
    while (capacity < MAX_CAPACITY && expectedWords > (int) (capacity * 0.7)) {
      capacity <<= 1;
    }
    allocate(capacity);
  }

  /**
   * Returns a table holding the given counts.
   *
   * @param counts word to count; words must be non-empty and counts not negative (zero counts are
   *     skipped)
   * @return a new table
   */
  public static WordCounts fromMap(Map<String, Long> counts) {
    WordCounts table = new WordCounts(counts.size());
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
   * String#hashCode()} is {@code hash}; copies the chars only if the word is new and not packed.
   */
  void add(char[] chars, int len, int hash, long n) {
    add(chars, len, hash, n, true);
  }

  /**
   * Adds one occurrence of a word of 1 to 8 ASCII chars given as its packed chars ({@code bits},
   * char {@code k} in byte {@code k}): the byte scanner's fast path, which needs neither chars nor
   * a hash.
   */
  void addPacked(long bits) {
    long key = WordKeys.PACKED | bits;
    long[] s = slots;
    int mask = capacity - 1;
    for (int i = WordKeys.home(key) >>> shift; ; i = (i + 1) & mask) {
      long k = s[2 * i];
      if (k == key) {
        s[2 * i + 1]++;
        total++;
        return;
      }
      if (k == 0) {
        insert(i, key, null, 0, 1);
        return;
      }
    }
  }

  /**
   * Adds one occurrence of the word {@code bytes[from, from + len)}, more than 8 ASCII letters and
   * digits, lowercased here (by setting bit 5, which lowercases {@code [A-Z]} and keeps digits).
   */
  void addAscii(byte[] bytes, int from, int len) {
    int hash = 0;
    for (int i = from, end = from + len; i < end; i++) {
      hash = 31 * hash + (bytes[i] | 0x20);
    }
    long key = WordKeys.hashKey(hash, len);
    long[] s = slots;
    int mask = capacity - 1;
    for (int i = WordKeys.home(hash) >>> shift; ; i = (i + 1) & mask) {
      long k = s[2 * i];
      if (k == key && equalsLowered(words[i], bytes, from)) {
        s[2 * i + 1]++;
        total++;
        return;
      }
      if (k == 0) {
        char[] chars = new char[len];
        for (int j = 0; j < len; j++) {
          chars[j] = (char) (bytes[from + j] | 0x20);
        }
        insert(i, key, chars, hash, 1);
        return;
      }
    }
  }

  private static boolean equalsLowered(char[] word, byte[] bytes, int from) {
    for (int j = 0; j < word.length; j++) {
      if (word[j] != (char) (bytes[from + j] | 0x20)) {
        return false;
      }
    }
    return true;
  }

  private void add(char[] chars, int len, int hash, long n, boolean copy) {
    add(WordKeys.key(chars, len, hash), chars, len, hash, n, copy);
  }

  /** Adds {@code n} occurrences of a word by its key, and its chars unless the key is packed. */
  private void add(long key, char[] chars, int len, int hash, long n, boolean copy) {
    boolean packed = WordKeys.isPacked(key);
    long[] s = slots;
    int mask = capacity - 1;
    for (int i = WordKeys.home(key, hash) >>> shift; ; i = (i + 1) & mask) {
      long k = s[2 * i];
      if (k == key && (packed || Arrays.equals(words[i], 0, len, chars, 0, len))) {
        s[2 * i + 1] += n;
        total += n;
        return;
      }
      if (k == 0) {
        insert(i, key, packed ? null : copy ? Arrays.copyOf(chars, len) : chars, hash, n);
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
    if (size == 0 && other.size > resizeAt) {
      // Merging into an empty table (a copy, a first partial): take the other's size at once.
      allocate(other.capacity);
    }
    long[] otherSlots = other.slots;
    char[][] otherWords = other.words;
    int[] otherHashes = other.hashes;
    for (int j = 0; j < other.capacity; j++) {
      long key = otherSlots[2 * j];
      if (key != 0) {
        char[] word = otherWords[j];
        int len = word == null ? 0 : word.length;
        add(key, word, len, otherHashes[j], otherSlots[2 * j + 1], false);
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
    long key = WordKeys.key(chars, chars.length, hash);
    int mask = capacity - 1;
    for (int i = WordKeys.home(key, hash) >>> shift; ; i = (i + 1) & mask) {
      long k = slots[2 * i];
      if (k == key && (WordKeys.isPacked(key) || Arrays.equals(words[i], chars))) {
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
    return WordCountsCodec.toBytes(this);
  }

  /**
   * Reads a table written by {@link #toBytes}.
   *
   * @param bytes the compact form
   * @return a new table
   * @throws IllegalArgumentException if the bytes are not a table's compact form
   */
  public static WordCounts fromBytes(byte[] bytes) {
    return WordCountsCodec.fromBytes(bytes);
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
      if (slots[2 * i] != 0) {
        action.accept(new String(wordAt(i)), slots[2 * i + 1]);
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
    return TopWords.of(this, Math.min(n, size));
  }

  /** Returns a short description: the number of distinct words and the total. */
  @Override
  public String toString() {
    return "WordCounts[distinct=" + size + ", total=" + total + "]";
  }

  /** Returns the number of slots; slot {@code i} is used if {@link #keyAt} is not 0. */
  int capacity() {
    return capacity;
  }

  /** Returns the key in slot {@code i}, 0 if the slot is empty. */
  long keyAt(int i) {
    return slots[2 * i];
  }

  /** Returns the count in slot {@code i}. */
  long countAt(int i) {
    return slots[2 * i + 1];
  }

  /**
   * Returns the chars of the word in used slot {@code i}: the stored array (do not modify it), or a
   * new one for a packed word.
   */
  char[] wordAt(int i) {
    char[] word = words[i];
    return word != null ? word : WordKeys.unpack(slots[2 * i]);
  }

  /**
   * Adds {@code n} occurrences of the word in {@code chars[0, len)} with hash {@code hash}, taking
   * over {@code chars} if the word is new: for readers that build each word's chars anyway.
   */
  void addOwned(char[] chars, int len, int hash, long n) {
    add(chars, len, hash, n, false);
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
      long key = oldSlots[2 * j];
      if (key != 0) {
        int i = WordKeys.home(key, oldHashes[j]) >>> shift;
        while (slots[2 * i] != 0) {
          i = (i + 1) & mask;
        }
        slots[2 * i] = key;
        slots[2 * i + 1] = oldSlots[2 * j + 1];
        words[i] = oldWords[j];
        hashes[i] = oldHashes[j];
      }
    }
  }

  /** Replaces the arrays with empty ones of the given capacity; only for an empty table or grow. */
  private void allocate(int newCapacity) {
    capacity = newCapacity;
    shift = Integer.numberOfLeadingZeros(newCapacity) + 1;
    resizeAt = (int) (newCapacity * 0.7);
    slots = new long[2 * newCapacity];
    words = new char[newCapacity][];
    hashes = new int[newCapacity];
  }
}
