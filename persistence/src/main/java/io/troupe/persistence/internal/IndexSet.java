package io.troupe.persistence.internal;

import io.troupe.sdk.TroupeMessage;
import java.util.BitSet;

/**
 * A set of item indices in the ledger's compact form: as ranges when the set is mostly runs (items
 * complete roughly in order), as a bitmap otherwise, whichever is smaller. A job of ten million
 * items, finished or not, takes at most 1.25 MB this way.
 *
 * @param ranges the set as {@code [from, to)} pairs in ascending order, or {@code null}
 * @param bits the set as {@link BitSet#toByteArray()}, or {@code null}
 */
public record IndexSet(int[] ranges, byte[] bits) implements TroupeMessage {

  /** The empty set. */
  public static final IndexSet EMPTY = new IndexSet(new int[0], null);

  /**
   * Returns the compact form of a set.
   *
   * @param set the indices
   * @return the smaller of its range and bitmap forms
   */
  public static IndexSet of(BitSet set) {
    int runs = runs(set);
    long rangeBytes = runs * 8L;
    long bitmapBytes = (set.length() + 7L) / 8;
    return rangeBytes <= bitmapBytes
        ? new IndexSet(ranges(set, runs), null)
        : new IndexSet(null, set.toByteArray());
  }

  /**
   * Returns the ranges of a set: {@code [from, to)} pairs in ascending order.
   *
   * @param set the indices
   * @return the ranges
   */
  public static int[] ranges(BitSet set) {
    return ranges(set, runs(set));
  }

  private static int runs(BitSet set) {
    int runs = 0;
    for (int from = set.nextSetBit(0); from >= 0; from = set.nextSetBit(set.nextClearBit(from))) {
      runs++;
    }
    return runs;
  }

  private static int[] ranges(BitSet set, int runs) {
    int[] out = new int[runs * 2];
    int i = 0;
    for (int from = set.nextSetBit(0); from >= 0; ) {
      int to = set.nextClearBit(from);
      out[i++] = from;
      out[i++] = to;
      from = set.nextSetBit(to);
    }
    return out;
  }

  /**
   * Returns the ranges of indices, which need not be sorted or distinct.
   *
   * @param indices the indices
   * @return {@code [from, to)} pairs in ascending order
   */
  public static int[] ranges(int[] indices) {
    BitSet set = new BitSet();
    for (int i : indices) {
      set.set(i);
    }
    return ranges(set);
  }

  /**
   * Adds every index of some ranges to a set.
   *
   * @param ranges {@code [from, to)} pairs
   * @param into the set to add to
   * @return {@code into}
   */
  public static BitSet addRanges(int[] ranges, BitSet into) {
    for (int i = 0; i + 1 < ranges.length; i += 2) {
      into.set(ranges[i], ranges[i + 1]);
    }
    return into;
  }

  /** Returns how many indices some ranges hold. */
  public static int count(int[] ranges) {
    int n = 0;
    for (int i = 0; i + 1 < ranges.length; i += 2) {
      n += ranges[i + 1] - ranges[i];
    }
    return n;
  }

  /** Returns the set as a new {@link BitSet}. */
  public BitSet toBitSet() {
    return bits != null ? BitSet.valueOf(bits) : addRanges(ranges, new BitSet());
  }
}
