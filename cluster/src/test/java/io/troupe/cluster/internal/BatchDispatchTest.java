package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

final class BatchDispatchTest {

  @Test
  void average_ofTheFirstBatch_isItsMean() {
    assertThat(BatchDispatch.average(0, 3_000, 3)).isEqualTo(1_000.0);
  }

  @Test
  void average_weighsABatchOfOneItemAsOneStep() {
    assertThat(BatchDispatch.average(1_000, 2_000, 1)).isCloseTo(1_200.0, within(1e-9));
  }

  @Test
  void average_weighsABatchOfManyItemsAsManySteps() {
    double stepwise = 1_000_000;
    for (int i = 0; i < 10; i++) {
      stepwise = BatchDispatch.average(stepwise, 5_000, 1);
    }

    assertThat(BatchDispatch.average(1_000_000, 50_000, 10)).isCloseTo(stepwise, within(1e-6));
  }

  @Test
  void average_afterSlowFirstItems_comesDownToTheItemsTimeWithinAFewBatches() {
    // Cold code: the first item takes 1 ms; then items take 5 µs, in batches of 10 ms of work at
    // the average so far.
    double average = BatchDispatch.average(0, 1_000_000, 1);
    int batches = 0;
    while (average > 10_000) {
      int items = (int) Math.max(1, 10_000_000 / average);
      average = BatchDispatch.average(average, 5_000L * items, items);
      batches++;
    }

    assertThat(batches).isLessThanOrEqualTo(4);
  }

  @Test
  void average_ignoresABatchWithoutTimedItems() {
    assertThat(BatchDispatch.average(1_000, 0, 0)).isEqualTo(1_000.0);
  }
}
