package io.troupe.examples.primes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

final class SegmentedSieveTest {

  private static final int ORACLE_LIMIT = 3_000_000;

  /** Primality by a plain sieve, for checking ranges below {@link #ORACLE_LIMIT}. */
  private static final boolean[] PRIME = plainSieve(ORACLE_LIMIT);

  private static boolean[] plainSieve(int n) {
    boolean[] prime = new boolean[n + 1];
    for (int i = 2; i <= n; i++) {
      prime[i] = true;
    }
    for (int p = 2; (long) p * p <= n; p++) {
      if (prime[p]) {
        for (int m = p * p; m <= n; m += p) {
          prime[m] = false;
        }
      }
    }
    return prime;
  }

  private static SegmentedSieve.Segment oracle(int lo, int hi) {
    long count = 0;
    long largest = 0;
    for (int n = lo; n <= hi; n++) {
      if (PRIME[n]) {
        count++;
        largest = n;
      }
    }
    return new SegmentedSieve.Segment(lo, hi, count, largest);
  }

  @Test
  void count_randomRanges_matchPlainSieve() {
    int[] base = SegmentedSieve.basePrimes(ORACLE_LIMIT);
    Random random = new Random(31);
    for (int round = 0; round < 3000; round++) {
      int lo = random.nextInt(round < 1000 ? 200 : ORACLE_LIMIT);
      int span = random.nextInt(round % 3 == 0 ? 40_000 : 300);
      int hi = Math.min(ORACLE_LIMIT, lo + span);

      assertThat(SegmentedSieve.count(lo, hi, base))
          .as("[%d, %d]", lo, hi)
          .isEqualTo(oracle(lo, hi));
    }
  }

  @Test
  void count_everyRangeUpTo200_matchesPlainSieve() {
    int[] base = SegmentedSieve.basePrimes(200);
    for (int lo = 0; lo <= 200; lo++) {
      for (int hi = lo; hi <= 200; hi++) {
        assertThat(SegmentedSieve.count(lo, hi, base)).isEqualTo(oracle(lo, hi));
      }
    }
  }

  @Test
  void count_rangesStartingOrEndingAtPrimes_includeThem() {
    int[] base = SegmentedSieve.basePrimes(1_000_000);

    assertThat(SegmentedSieve.count(2, 2, base)).isEqualTo(new SegmentedSieve.Segment(2, 2, 1, 2));
    assertThat(SegmentedSieve.count(7, 7, base)).isEqualTo(new SegmentedSieve.Segment(7, 7, 1, 7));
    assertThat(SegmentedSieve.count(13, 17, base))
        .isEqualTo(new SegmentedSieve.Segment(13, 17, 2, 17));
    assertThat(SegmentedSieve.count(8, 10, base))
        .isEqualTo(new SegmentedSieve.Segment(8, 10, 0, 0));
    assertThat(SegmentedSieve.count(0, 1, base)).isEqualTo(new SegmentedSieve.Segment(0, 1, 0, 0));
    assertThat(SegmentedSieve.count(999_983, 1_000_000, base))
        .isEqualTo(new SegmentedSieve.Segment(999_983, 1_000_000, 1, 999_983));
    // 169 = 13², 289 = 17², 961 = 31²: squares of base primes are composite.
    assertThat(SegmentedSieve.count(169, 169, base).count()).isZero();
    assertThat(SegmentedSieve.count(289, 289, base).count()).isZero();
    assertThat(SegmentedSieve.count(961, 961, base).count()).isZero();
  }

  @Test
  void count_rangesNearTenToTheTwelve_findKnownPrimes() {
    // 10^12 - 11 and 10^12 + 39 are the primes nearest 10^12.
    long t = 1_000_000_000_000L;
    int[] base = SegmentedSieve.basePrimes(t + 100);

    assertThat(SegmentedSieve.count(t - 100, t + 50, base))
        .extracting(SegmentedSieve.Segment::largest)
        .isEqualTo(t + 39);
    assertThat(SegmentedSieve.count(t - 10, t + 38, base).count()).isZero();
    assertThat(SegmentedSieve.count(t - 11, t - 11, base).count()).isOne();
  }

  @Test
  void basePrimes_limits_coverFloorOfSquareRoot() {
    assertThat(SegmentedSieve.basePrimes(0)).isEmpty();
    assertThat(SegmentedSieve.basePrimes(3)).isEmpty();
    assertThat(SegmentedSieve.basePrimes(4)).containsExactly(2);
    assertThat(SegmentedSieve.basePrimes(120)).containsExactly(2, 3, 5, 7);
    assertThat(SegmentedSieve.basePrimes(121)).containsExactly(2, 3, 5, 7, 11);
    assertThat(SegmentedSieve.basePrimes(1_000_000_000L)).hasSize(3401).endsWith(31607);
  }

  @Test
  void isqrt_aroundPerfectSquares_isExact() {
    for (long r : new long[] {0, 1, 2, 3, 31_622, 3_162_277, 99_999_999, 100_000_000}) {
      long square = r * r;
      assertThat(SegmentedSieve.isqrt(square)).isEqualTo(r);
      if (square > 0) {
        assertThat(SegmentedSieve.isqrt(square - 1)).isEqualTo(r - 1);
      }
      assertThat(SegmentedSieve.isqrt(square + 2 * r)).isEqualTo(r);
    }
  }

  @Test
  void basePrimesAndCount_outOfRangeArguments_throw() {
    int[] base = SegmentedSieve.basePrimes(100);
    assertThatThrownBy(() -> SegmentedSieve.basePrimes(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SegmentedSieve.basePrimes(SegmentedSieve.MAX_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> SegmentedSieve.count(-1, 5, base))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SegmentedSieve.count(6, 5, base))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SegmentedSieve.count(0, SegmentedSieve.MAX_SEGMENT_LENGTH, base))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
