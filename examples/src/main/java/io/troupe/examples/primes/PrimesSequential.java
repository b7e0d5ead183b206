package io.troupe.examples.primes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Counts the primes up to a limit on one thread, segment by segment with the {@link SegmentedSieve}
 * kernel: the reference result and the speedup baseline.
 */
public final class PrimesSequential {

  private PrimesSequential() {}

  /**
   * The primes up to a limit.
   *
   * @param count number of primes in [0, limit]
   * @param largest largest prime in [0, limit], or 0 if there is none
   */
  public record Result(long count, long largest) {}

  /**
   * Sieves [0, limit] in segments of {@code segmentSize} numbers, in order, and combines them.
   *
   * @param limit the largest number considered; in [0, {@link SegmentedSieve#MAX_LIMIT}]
   * @param segmentSize numbers per segment; in [1, {@link SegmentedSieve#MAX_SEGMENT_LENGTH}]
   * @return the count and the largest prime
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static Result run(long limit, long segmentSize) {
    checkSegmentSize(segmentSize);
    int[] basePrimes = SegmentedSieve.basePrimes(limit);
    long count = 0;
    long largest = 0;
    for (long lo = 0; ; lo += segmentSize) {
      long hi = lo + Math.min(segmentSize - 1, limit - lo);
      SegmentedSieve.Segment segment = SegmentedSieve.count(lo, hi, basePrimes);
      count += segment.count();
      largest = Math.max(largest, segment.largest());
      if (hi == limit) {
        return new Result(count, largest);
      }
    }
  }

  /**
   * Returns how many segments of {@code segmentSize} numbers (the last may be shorter) cover [0,
   * limit]: the work items of a parallel run. Segment {@code i} is {@code [i * segmentSize,
   * min(limit, (i + 1) * segmentSize - 1)]}.
   *
   * @param limit the largest number considered; in [0, {@link SegmentedSieve#MAX_LIMIT}]
   * @param segmentSize numbers per segment; in [1, {@link SegmentedSieve#MAX_SEGMENT_LENGTH}]
   * @return the number of segments
   * @throws IllegalArgumentException if an argument is out of range or there would be more than
   *     {@code Integer.MAX_VALUE - 8} segments
   */
  public static long segmentCount(long limit, long segmentSize) {
    checkSegmentSize(segmentSize);
    if (limit < 0 || limit > SegmentedSieve.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 0 and " + SegmentedSieve.MAX_LIMIT + ", was " + limit);
    }
    long segments = limit / segmentSize + 1;
    if (segments > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "segment size " + segmentSize + " makes " + segments + " segments; use a larger one");
    }
    return segments;
  }

  /**
   * Returns the closed ranges {@code {lo, hi}} of the segments that cover [0, limit], in order (see
   * {@link #segmentCount}).
   *
   * @param limit the largest number considered; in [0, {@link SegmentedSieve#MAX_LIMIT}]
   * @param segmentSize numbers per segment; in [1, {@link SegmentedSieve#MAX_SEGMENT_LENGTH}]
   * @return the ranges, each a new two-element array
   * @throws IllegalArgumentException as {@link #segmentCount} does
   */
  public static List<long[]> segments(long limit, long segmentSize) {
    long segments = segmentCount(limit, segmentSize);
    List<long[]> ranges = new ArrayList<>((int) segments);
    for (long lo = 0; ; lo += segmentSize) {
      long hi = lo + Math.min(segmentSize - 1, limit - lo);
      ranges.add(new long[] {lo, hi});
      if (hi == limit) {
        return ranges;
      }
    }
  }

  /**
   * Combines the segments of a run in any order: counts add up, the largest prime is the maximum.
   *
   * @param segments the segments, which should not overlap
   * @return the combined result
   */
  public static Result combine(Collection<SegmentedSieve.Segment> segments) {
    long count = 0;
    long largest = 0;
    for (SegmentedSieve.Segment segment : segments) {
      count += segment.count();
      largest = Math.max(largest, segment.largest());
    }
    return new Result(count, largest);
  }

  private static void checkSegmentSize(long segmentSize) {
    if (segmentSize < 1 || segmentSize > SegmentedSieve.MAX_SEGMENT_LENGTH) {
      throw new IllegalArgumentException(
          "segment size must be between 1 and "
              + SegmentedSieve.MAX_SEGMENT_LENGTH
              + ", was "
              + segmentSize);
    }
  }
}
