package io.troupe.examples.primes;

import java.util.Objects;

/**
 * Counts primes in ranges with a segmented sieve of Eratosthenes: the compute kernel of the primes
 * pipeline.
 *
 * <p>Implementation notes: a segment stores one bit per odd number (bit set means composite).
 * Multiples of 3, 5, 7, 11 and 13 are not crossed off one by one but copied from a precomputed
 * pattern that repeats every 15015 odd numbers, which removes about 40% of the work; those five
 * primes are then added back. Every other base prime p crosses off its odd multiples from max(p²,
 * first multiple in the segment). A segment of 2^24 numbers takes 1 MiB of bits, about one core's
 * L2 cache.
 */
public final class SegmentedSieve {

  /** Largest supported limit, 10^16: its base primes (below 10^8) take about 23 MB. */
  public static final long MAX_LIMIT = 10_000_000_000_000_000L;

  /** Most numbers one segment may span, 2^31 (2^30 odd numbers, 128 MiB of bits). */
  public static final long MAX_SEGMENT_LENGTH = 1L << 31;

  /** The primes whose multiples come from {@link #PATTERN}. */
  private static final int[] PRESIEVED = {3, 5, 7, 11, 13};

  /** Period, in odd numbers, of the presieve pattern: 3 * 5 * 7 * 11 * 13. */
  private static final int PERIOD = 15015;

  /**
   * Bit {@code g} is set if the odd number {@code 2g + 1} is a multiple of a presieved prime, for
   * {@code g} in [0, PERIOD + 64): one period plus a word, so any 64 bits starting inside the first
   * period can be read without wrapping.
   */
  private static final long[] PATTERN = presievePattern();

  private SegmentedSieve() {}

  /**
   * The primes of a closed range.
   *
   * @param lo first number of the range
   * @param hi last number of the range
   * @param count number of primes in [lo, hi]
   * @param largest largest prime in [lo, hi], or 0 if there is none
   */
  public record Segment(long lo, long hi, long count, long largest) {}

  /**
   * Returns all primes up to {@code floor(sqrt(limit))}, ascending: what {@link #count} needs to
   * sieve any range ending at or below {@code limit}.
   *
   * @param limit the largest number that will be sieved; in [0, {@link #MAX_LIMIT}]
   * @return the base primes
   * @throws IllegalArgumentException if {@code limit} is out of range
   */
  public static int[] basePrimes(long limit) {
    if (limit < 0 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 0 and " + MAX_LIMIT + ", was " + limit);
    }
    return primesUpTo((int) isqrt(limit));
  }

  /**
   * Counts the primes in the closed range [lo, hi] and finds the largest.
   *
   * @param lo first number; not negative
   * @param hi last number; at least {@code lo}, less than {@code lo + MAX_SEGMENT_LENGTH}, and at
   *     most the limit {@code basePrimes} was made for
   * @param basePrimes from {@link #basePrimes(long)} for a limit of at least {@code hi}
   * @return the count and the largest prime
   * @throws IllegalArgumentException if the range is empty, negative or too long
   */
  public static Segment count(long lo, long hi, int[] basePrimes) {
    Objects.requireNonNull(basePrimes, "basePrimes");
    if (lo < 0 || hi < lo || hi - lo >= MAX_SEGMENT_LENGTH) {
      throw new IllegalArgumentException(
          "need 0 <= lo <= hi < lo + " + MAX_SEGMENT_LENGTH + ", was lo=" + lo + " hi=" + hi);
    }
    long count = 0;
    long largest = 0;
    if (lo <= 2 && 2 <= hi) {
      count = 1;
      largest = 2;
    }
    for (int p : PRESIEVED) {
      if (lo <= p && p <= hi) {
        count++;
        largest = p;
      }
    }
    long first = Math.max(lo, 3) | 1; // the first odd number >= max(lo, 3)
    if (first > hi) {
      return new Segment(lo, hi, count, largest);
    }
    int n = (int) ((hi - first) / 2 + 1); // odd numbers in [first, hi]; bit i is first + 2i
    long[] composite = new long[(n + 63) >>> 6];
    presieve(composite, (first - 1) / 2);
    crossOff(composite, n, first, hi, basePrimes);
    // Bits past n stand for numbers beyond hi: mark them so they are not counted.
    int tail = n & 63;
    if (tail != 0) {
      composite[composite.length - 1] |= -1L << tail;
    }
    for (long word : composite) {
      count += Long.bitCount(~word);
    }
    for (int w = composite.length - 1; w >= 0; w--) {
      long primes = ~composite[w];
      if (primes != 0) {
        long bit = ((long) w << 6) + 63 - Long.numberOfLeadingZeros(primes);
        largest = Math.max(largest, first + 2 * bit);
        break;
      }
    }
    return new Segment(lo, hi, count, largest);
  }

  /** Sets the bits of odd multiples of 3..13 (those primes included), for odd index {@code g0}. */
  private static void presieve(long[] composite, long g0) {
    int r = (int) (g0 % PERIOD);
    for (int w = 0; w < composite.length; w++) {
      int a = r >>> 6;
      int s = r & 63;
      composite[w] = s == 0 ? PATTERN[a] : (PATTERN[a] >>> s) | (PATTERN[a + 1] << (64 - s));
      r += 64;
      if (r >= PERIOD) {
        r -= PERIOD;
      }
    }
  }

  private static void crossOff(long[] composite, int n, long first, long hi, int[] basePrimes) {
    for (int p : basePrimes) {
      if (p <= PRESIEVED[PRESIEVED.length - 1]) {
        continue;
      }
      long square = (long) p * p;
      if (square > hi) {
        break;
      }
      long start = Math.max(square, (first + p - 1) / p * p);
      if ((start & 1) == 0) {
        start += p;
      }
      long from = (start - first) >>> 1;
      if (from >= n) {
        continue;
      }
      // n < 2^30 and p < 2^27, so i + p never overflows.
      for (int i = (int) from; i < n; i += p) {
        composite[i >>> 6] |= 1L << i;
      }
    }
  }

  private static long[] presievePattern() {
    int bits = PERIOD + 64;
    long[] pattern = new long[(bits + 63) / 64 + 1];
    for (int g = 0; g < bits; g++) {
      long odd = 2L * g + 1;
      for (int p : PRESIEVED) {
        if (odd % p == 0) {
          pattern[g >>> 6] |= 1L << g;
          break;
        }
      }
    }
    return pattern;
  }

  /** Returns the primes up to {@code n} with a plain odd-only sieve. */
  static int[] primesUpTo(int n) {
    if (n < 2) {
      return new int[0];
    }
    int odds = (n - 1) / 2; // odd numbers 3, 5, ..., up to n; bit i is 2i + 3
    long[] composite = new long[(odds + 63) >>> 6];
    for (int i = 0; ; i++) {
      long p = 2L * i + 3;
      if (p * p > n) {
        break;
      }
      if ((composite[i >>> 6] & (1L << i)) == 0) {
        for (long j = (p * p - 3) / 2; j < odds; j += p) {
          composite[(int) (j >>> 6)] |= 1L << j;
        }
      }
    }
    int count = 1;
    for (int i = 0; i < odds; i++) {
      if ((composite[i >>> 6] & (1L << i)) == 0) {
        count++;
      }
    }
    int[] primes = new int[count];
    primes[0] = 2;
    int k = 1;
    for (int i = 0; i < odds; i++) {
      if ((composite[i >>> 6] & (1L << i)) == 0) {
        primes[k++] = 2 * i + 3;
      }
    }
    return primes;
  }

  /** Returns {@code floor(sqrt(n))} exactly. */
  static long isqrt(long n) {
    long r = (long) Math.sqrt((double) n);
    while (r * r > n) {
      r--;
    }
    while ((r + 1) * (r + 1) <= n) {
      r++;
    }
    return r;
  }
}
