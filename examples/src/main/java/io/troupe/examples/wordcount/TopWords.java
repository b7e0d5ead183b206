package io.troupe.examples.wordcount;

import java.util.Arrays;
import java.util.List;

/**
 * Picks the most frequent words of a {@link WordCounts}: by count descending, then word ascending
 * ({@link String#compareTo}).
 *
 * <p>Implementation notes: a heap of slots holds the {@code k} best so far, with the lowest-ranked
 * at the root, so that each further word costs one comparison of counts unless it displaces the
 * root. Words are compared only on equal counts; packed words are unpacked for that.
 */
final class TopWords {

  private final WordCounts table;

  private TopWords(WordCounts table) {
    this.table = table;
  }

  /** Returns the {@code k} top words of the table, best first; {@code k} at most its size. */
  static List<WordCount> of(WordCounts table, int k) {
    if (k == 0) {
      return List.of();
    }
    return new TopWords(table).select(k);
  }

  private List<WordCount> select(int k) {
    int[] heap = new int[k];
    int heapSize = 0;
    for (int i = 0, capacity = table.capacity(); i < capacity; i++) {
      if (table.keyAt(i) == 0) {
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
      result[--heapSize] = new WordCount(new String(table.wordAt(slot)), table.countAt(slot));
      heap[0] = heap[heapSize];
      siftDown(heap, heapSize);
    }
    return List.of(result);
  }

  /** True if the word in slot {@code a} comes before the word in slot {@code b} in top order. */
  private boolean ranksBefore(int a, int b) {
    long countA = table.countAt(a);
    long countB = table.countAt(b);
    if (countA != countB) {
      return countA > countB;
    }
    // Arrays.compare on chars orders like String.compareTo: by UTF-16 unit, then by length.
    return Arrays.compare(table.wordAt(a), table.wordAt(b)) < 0;
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
}
