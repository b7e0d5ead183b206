package io.troupe.examples.primes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class PrimesSequentialTest {

  @ParameterizedTest
  @CsvSource({
    "10, 4, 7",
    "100, 25, 97",
    "1000, 168, 997",
    "10000, 1229, 9973",
    "100000, 9592, 99991",
    "1000000, 78498, 999983",
    "10000000, 664579, 9999991",
    "100000000, 5761455, 99999989"
  })
  void run_powersOfTen_matchKnownPrimeCounts(long limit, long count, long largest) {
    assertThat(PrimesSequential.run(limit, 1 << 24))
        .isEqualTo(new PrimesSequential.Result(count, largest));
    assertThat(PrimesSequential.run(limit, 1 << 18))
        .isEqualTo(new PrimesSequential.Result(count, largest));
  }

  @Test
  void run_tenToTheNine_matchesKnownPrimeCount() {
    // About a second on one core; the limit the pipeline is benchmarked at.
    assertThat(PrimesSequential.run(1_000_000_000L, 1 << 24))
        .isEqualTo(new PrimesSequential.Result(50_847_534, 999_999_937));
  }

  @ParameterizedTest
  @CsvSource({"0, 0, 0", "1, 0, 0", "2, 1, 2", "3, 2, 3", "4, 2, 3"})
  void run_tinyLimits_countFromZero(long limit, long count, long largest) {
    for (long segment : new long[] {1, 2, 3, 1 << 24}) {
      assertThat(PrimesSequential.run(limit, segment))
          .isEqualTo(new PrimesSequential.Result(count, largest));
    }
  }

  @Test
  void run_anySegmentSize_givesTheSameResult() {
    PrimesSequential.Result expected = new PrimesSequential.Result(9592, 99991);
    for (long segment : new long[] {1, 2, 7, 64, 97, 1000, 65_536, 99_991, 100_000, 100_001}) {
      assertThat(PrimesSequential.run(100_000, segment))
          .as("segment %d", segment)
          .isEqualTo(expected);
    }
    assertThat(PrimesSequential.run(100_000, SegmentedSieve.MAX_SEGMENT_LENGTH))
        .isEqualTo(expected);
  }

  @Test
  void segments_anySize_coverZeroToLimitContiguously() {
    Random random = new Random(41);
    for (int round = 0; round < 200; round++) {
      long limit = random.nextInt(100_000);
      long size = 1 + random.nextInt(round < 100 ? 50 : 200_000);
      List<long[]> segments = PrimesSequential.segments(limit, size);
      long next = 0;
      for (long[] range : segments) {
        assertThat(range[0]).isEqualTo(next);
        assertThat(range[1] - range[0] + 1).isBetween(1L, size);
        next = range[1] + 1;
      }
      assertThat(next - 1).isEqualTo(limit);
      assertThat(segments).hasSize((int) (limit / size + 1));
    }
  }

  @Test
  void combine_segmentsInAnyOrder_equalsSequentialRun() {
    long limit = 2_000_000;
    int[] base = SegmentedSieve.basePrimes(limit);
    List<SegmentedSieve.Segment> segments = new ArrayList<>();
    for (long[] range : PrimesSequential.segments(limit, 77_777)) {
      segments.add(SegmentedSieve.count(range[0], range[1], base));
    }
    Collections.shuffle(segments, new Random(42));

    assertThat(PrimesSequential.combine(segments)).isEqualTo(PrimesSequential.run(limit, 77_777));
    assertThat(PrimesSequential.combine(List.of())).isEqualTo(new PrimesSequential.Result(0, 0));
  }

  @Test
  void runAndSegments_outOfRangeArguments_throw() {
    assertThatThrownBy(() -> PrimesSequential.run(100, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segment size");
    assertThatThrownBy(() -> PrimesSequential.run(-1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrimesSequential.segments(-1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrimesSequential.segments(SegmentedSieve.MAX_LIMIT, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segments");
  }
}
