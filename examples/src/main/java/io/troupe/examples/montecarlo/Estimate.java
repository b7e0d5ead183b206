package io.troupe.examples.montecarlo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Batches of a Monte Carlo run gathered in any order, combined in batch order.
 *
 * <p>Floating-point addition is not associative, so the price depends on the order in which batch
 * sums are added. Keeping batches by index and adding them in index order makes the result a
 * function of the set of batches only, not of when or where each finished. Adding a batch that is
 * already present (a redelivery) changes nothing. Not thread-safe: one owner at a time.
 */
public final class Estimate {

  private final TreeMap<Long, MonteCarlo.Batch> batches = new TreeMap<>();

  /** Creates an estimate without batches. */
  public Estimate() {}

  /**
   * Returns an estimate holding the given batches.
   *
   * @param batches the batches, in any order
   * @return a new estimate
   * @throws IllegalArgumentException if two different batches have the same index
   */
  public static Estimate of(Collection<MonteCarlo.Batch> batches) {
    Estimate estimate = new Estimate();
    batches.forEach(estimate::add);
    return estimate;
  }

  /**
   * Adds a batch; adding an equal batch again changes nothing.
   *
   * @param batch the batch
   * @return this estimate
   * @throws IllegalArgumentException if a different batch with the same index is present
   */
  public Estimate add(MonteCarlo.Batch batch) {
    Objects.requireNonNull(batch, "batch");
    MonteCarlo.Batch present = batches.putIfAbsent(batch.index(), batch);
    if (present != null && !present.equals(batch)) {
      throw new IllegalArgumentException(
          "batch " + batch.index() + " is present with other sums: " + present + " vs " + batch);
    }
    return this;
  }

  /**
   * Adds every batch of {@code other} to this estimate; {@code other} is unchanged.
   *
   * @param other the batches to add
   * @return this estimate
   * @throws IllegalArgumentException if both hold different batches with the same index
   */
  public Estimate merge(Estimate other) {
    other.batches.values().forEach(this::add);
    return this;
  }

  /** Returns the batches in index order. */
  public List<MonteCarlo.Batch> batches() {
    return new ArrayList<>(batches.values());
  }

  /** Returns the number of batches. */
  public int batchCount() {
    return batches.size();
  }

  /** Returns the number of paths over all batches. */
  public long paths() {
    long paths = 0;
    for (MonteCarlo.Batch batch : batches.values()) {
      paths += batch.paths();
    }
    return paths;
  }

  /**
   * Returns the price over all batches, their sums added in index order.
   *
   * @return the price, its standard error and the Black–Scholes price
   * @throws IllegalStateException if there are no batches
   */
  public MonteCarlo.Result result() {
    if (batches.isEmpty()) {
      throw new IllegalStateException("no batches to estimate from");
    }
    long paths = 0;
    double sum = 0;
    double sumSquares = 0;
    for (MonteCarlo.Batch batch : batches.values()) {
      paths += batch.paths();
      sum += batch.sum();
      sumSquares += batch.sumSquares();
    }
    return MonteCarlo.result(paths, sum, sumSquares);
  }

  /** Returns a short description: the number of batches and paths. */
  @Override
  public String toString() {
    return "Estimate[batches=" + batches.size() + ", paths=" + paths() + "]";
  }
}
