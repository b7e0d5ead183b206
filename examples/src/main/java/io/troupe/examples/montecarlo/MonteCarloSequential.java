package io.troupe.examples.montecarlo;

import java.util.ArrayList;
import java.util.List;

/**
 * Prices the option on one thread, batch after batch with the {@link MonteCarlo} kernel: the
 * reference result and the speedup baseline.
 *
 * <p>The result depends on the batch size, since batch {@code i} always draws from the stream of
 * {@code (seed, i)}: other batch sizes give other paths to other streams, so a statistically
 * equivalent but different price. For a fixed batch size it is bit-identical to combining the same
 * batches, computed anywhere, through an {@link Estimate}.
 */
public final class MonteCarloSequential {

  private MonteCarloSequential() {}

  /**
   * Runs batches 0, 1, … of {@code batchSize} paths (the last may be smaller) and adds their sums
   * in order.
   *
   * @param paths number of paths; at least 1
   * @param seed the seed
   * @param batchSize paths per batch; at least 1
   * @return the price, its standard error and the Black–Scholes price
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static MonteCarlo.Result run(long paths, long seed, long batchSize) {
    checkArguments(paths, batchSize);
    double sum = 0;
    double sumSquares = 0;
    long count = (paths - 1) / batchSize + 1;
    for (long index = 0; index < count; index++) {
      MonteCarlo.Batch batch =
          MonteCarlo.batch(seed, index, Math.min(batchSize, paths - index * batchSize));
      sum += batch.sum();
      sumSquares += batch.sumSquares();
    }
    return MonteCarlo.result(paths, sum, sumSquares);
  }

  /**
   * Returns the batches of a run as {@code {index, paths}} pairs: the work items of a parallel run.
   *
   * @param paths number of paths; at least 1
   * @param batchSize paths per batch; at least 1
   * @return the batches in index order, each a new two-element array
   * @throws IllegalArgumentException if an argument is out of range or there would be more than
   *     {@code Integer.MAX_VALUE - 8} batches
   */
  public static List<long[]> batches(long paths, long batchSize) {
    checkArguments(paths, batchSize);
    long count = (paths - 1) / batchSize + 1;
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "batch size " + batchSize + " makes " + count + " batches; use a larger one");
    }
    List<long[]> batches = new ArrayList<>((int) count);
    for (long index = 0; index < count; index++) {
      batches.add(new long[] {index, Math.min(batchSize, paths - index * batchSize)});
    }
    return batches;
  }

  private static void checkArguments(long paths, long batchSize) {
    if (paths < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "paths and batch size must be at least 1, were " + paths + " and " + batchSize);
    }
  }
}
