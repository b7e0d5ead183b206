package io.troupe.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.examples.primes.PrimesSequential;
import org.junit.jupiter.api.Test;

final class DispatchCaseTest {

  @Test
  void expectedCount_matchesTheSequentialReference() {
    for (long limit : new long[] {1_000, 100_000, 1_000_000, 10_000_000, 123_000}) {
      assertThat(DispatchCase.expectedCount(limit))
          .as("π(%d)", limit)
          .isEqualTo(PrimesSequential.run(limit, 1L << 22).count());
    }
  }
}
