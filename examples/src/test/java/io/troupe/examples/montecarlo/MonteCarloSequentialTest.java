package io.troupe.examples.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class MonteCarloSequentialTest {

  private static void assertBitIdentical(MonteCarlo.Result actual, MonteCarlo.Result expected) {
    assertThat(Double.doubleToRawLongBits(actual.price()))
        .isEqualTo(Double.doubleToRawLongBits(expected.price()));
    assertThat(Double.doubleToRawLongBits(actual.stderr()))
        .isEqualTo(Double.doubleToRawLongBits(expected.stderr()));
    assertThat(actual).isEqualTo(expected);
  }

  private static List<MonteCarlo.Batch> computeBatches(long paths, long seed, long batchSize) {
    List<MonteCarlo.Batch> batches = new ArrayList<>();
    for (long[] b : MonteCarloSequential.batches(paths, batchSize)) {
      batches.add(MonteCarlo.batch(seed, b[0], b[1]));
    }
    return batches;
  }

  @Test
  void run_millionPaths_isWithinFourStandardErrorsOfBlackScholes() {
    MonteCarlo.Result result = MonteCarloSequential.run(1_000_000, 2024, 50_000);

    assertThat(result.paths()).isEqualTo(1_000_000);
    assertThat(result.blackScholes())
        .isEqualTo(MonteCarlo.blackScholesCall(100, 100, 0.05, 0.2, 1));
    // The payoff's standard deviation is about 14.7, so the standard error about 0.0147.
    assertThat(result.stderr()).isBetween(0.013, 0.016);
    assertThat(Math.abs(result.price() - result.blackScholes())).isLessThan(4 * result.stderr());
  }

  @Test
  void run_batchesMergedInShuffledOrders_isBitIdentical() {
    long paths = 200_003;
    long seed = 99;
    long batchSize = 7_000;
    MonteCarlo.Result expected = MonteCarloSequential.run(paths, seed, batchSize);
    List<MonteCarlo.Batch> batches = computeBatches(paths, seed, batchSize);
    Random random = new Random(61);
    for (int round = 0; round < 20; round++) {
      Collections.shuffle(batches, random);
      // Spread the batches over a few partial estimates, then merge those in a random order too.
      int parts = 1 + random.nextInt(5);
      List<Estimate> partials = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        partials.add(new Estimate());
      }
      for (MonteCarlo.Batch batch : batches) {
        partials.get(random.nextInt(parts)).add(batch);
      }
      Collections.shuffle(partials, random);
      Estimate total = new Estimate();
      partials.forEach(total::merge);

      assertBitIdentical(total.result(), expected);
    }
  }

  @Test
  void run_batchesComputedOnOtherThreads_isBitIdentical() {
    long paths = 300_000;
    MonteCarlo.Result expected = MonteCarloSequential.run(paths, 5, 10_000);
    List<MonteCarlo.Batch> parallel =
        MonteCarloSequential.batches(paths, 10_000).parallelStream()
            .map(b -> MonteCarlo.batch(5, b[0], b[1]))
            .collect(Collectors.toList());

    assertBitIdentical(Estimate.of(parallel).result(), expected);
  }

  @Test
  void run_sameSeed_isBitIdenticalAndOtherSeedDiffers() {
    MonteCarlo.Result result = MonteCarloSequential.run(100_000, 1, 4096);

    assertBitIdentical(MonteCarloSequential.run(100_000, 1, 4096), result);
    assertThat(MonteCarloSequential.run(100_000, 2, 4096).price()).isNotEqualTo(result.price());
  }

  @Test
  void run_otherBatchSize_drawsOtherPaths() {
    // Batch i always draws from the stream of (seed, i), so resizing batches moves paths to other
    // streams: an equally valid but different estimate. The batch size is part of the run's input.
    MonteCarlo.Result a = MonteCarloSequential.run(200_000, 3, 10_000);
    MonteCarlo.Result b = MonteCarloSequential.run(200_000, 3, 25_000);

    assertThat(a.price()).isNotEqualTo(b.price());
    assertThat(Math.abs(a.price() - b.price())).isLessThan(4 * (a.stderr() + b.stderr()));
  }

  @Test
  void run_singleBatch_equalsItsBatch() {
    MonteCarlo.Batch batch = MonteCarlo.batch(11, 0, 1234);
    MonteCarlo.Result result = MonteCarloSequential.run(1234, 11, 1_000_000);

    assertThat(result.price()).isEqualTo(batch.sum() / 1234);
  }

  @Test
  void run_singlePath_hasUndefinedStandardError() {
    assertThat(MonteCarloSequential.run(1, 1, 1).stderr()).isNaN();
  }

  @Test
  void batches_anySizes_coverAllPathsInIndexOrder() {
    List<long[]> batches = MonteCarloSequential.batches(10_001, 1000);

    assertThat(batches).hasSize(11);
    for (int i = 0; i < batches.size(); i++) {
      assertThat(batches.get(i)[0]).isEqualTo(i);
      assertThat(batches.get(i)[1]).isEqualTo(i < 10 ? 1000 : 1);
    }
    assertThat(MonteCarloSequential.batches(5, 10)).hasSize(1);
    assertThat(MonteCarloSequential.batches(5, 10).get(0)).containsExactly(0, 5);
  }

  @Test
  void runAndBatches_outOfRangeArguments_throw() {
    assertThatThrownBy(() -> MonteCarloSequential.run(0, 1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MonteCarloSequential.run(10, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MonteCarloSequential.batches(Long.MAX_VALUE, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batches");
  }
}
