package io.troupe.examples.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

final class EstimateTest {

  @Test
  void add_sameBatchTwice_countsItOnce() {
    MonteCarlo.Batch batch = MonteCarlo.batch(1, 0, 500);
    Estimate estimate = new Estimate().add(batch).add(batch);

    assertThat(estimate.batchCount()).isEqualTo(1);
    assertThat(estimate.paths()).isEqualTo(500);
    assertThat(estimate.result()).isEqualTo(Estimate.of(List.of(batch)).result());
  }

  @Test
  void add_otherBatchWithSameIndex_throws() {
    Estimate estimate = new Estimate().add(MonteCarlo.batch(1, 0, 500));

    assertThatThrownBy(() -> estimate.add(MonteCarlo.batch(2, 0, 500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch 0");
  }

  @Test
  void merge_overlappingEstimates_keepsEachBatchOnce() {
    MonteCarlo.Batch b0 = MonteCarlo.batch(1, 0, 100);
    MonteCarlo.Batch b1 = MonteCarlo.batch(1, 1, 100);
    MonteCarlo.Batch b2 = MonteCarlo.batch(1, 2, 100);
    Estimate left = Estimate.of(List.of(b2, b0));
    Estimate right = Estimate.of(List.of(b1, b2));

    left.merge(right);

    assertThat(left.batches()).containsExactly(b0, b1, b2);
    assertThat(right.batches()).containsExactly(b1, b2);
    assertThat(left.result()).isEqualTo(MonteCarloSequential.run(300, 1, 100));
  }

  @Test
  void result_noBatches_throws() {
    assertThatThrownBy(() -> new Estimate().result()).isInstanceOf(IllegalStateException.class);
  }
}
