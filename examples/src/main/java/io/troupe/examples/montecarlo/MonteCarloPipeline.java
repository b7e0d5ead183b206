package io.troupe.examples.montecarlo;

import io.troupe.sdk.Combiner;
import io.troupe.sdk.ItemPlan;
import io.troupe.sdk.JobContext;
import io.troupe.sdk.Pipeline;
import io.troupe.sdk.PipelineOptions;
import io.troupe.sdk.Task;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import io.troupe.sdk.Workers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import picocli.CommandLine.Option;

/**
 * Pricing a European call by Monte Carlo under geometric Brownian motion (S0=100, K=100, r=0.05,
 * sigma=0.2, T=1). CPU-bound data parallelism: batch i draws its paths from a generator seeded by
 * (seed, i), and batches are summed in index order, so the price is bit-identical for any number of
 * workers or nodes.
 */
public final class MonteCarloPipeline
    implements Pipeline<
        MonteCarloPipeline.Options, MonteCarloPipeline.BatchRef, MonteCarloPipeline.Batches> {

  /** The options of montecarlo. */
  public static final class Options {
    @Option(names = "--paths", paramLabel = "N", description = "Simulated paths (default 10^7).")
    long paths = 10_000_000L;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default 42).")
    long seed = 42;

    @Option(
        names = "--batch",
        paramLabel = "N",
        description = "Paths per work item (default 100000); part of the random streams.")
    long batch = 100_000;
  }

  /**
   * A work item: batch {@code index} of {@code paths} paths.
   *
   * @param index the batch's index, which seeds its generator
   * @param paths the number of paths
   */
  public record BatchRef(long index, long paths) implements TroupeMessage {}

  /**
   * A partial result, and the job's accumulator: the sums of some batches, by batch.
   *
   * @param batches per batch: index, paths, sum and sum of squares of the discounted payoffs
   */
  public record Batches(List<MonteCarlo.Batch> batches) implements TroupeMessage {}

  @Override
  public String name() {
    return "montecarlo";
  }

  @Override
  public String description() {
    return "prices a European call by Monte Carlo (bit-identical for any parallelism)";
  }

  @Override
  public Options newOptions() {
    return new Options();
  }

  @Override
  public void validate(Options o) {
    PipelineOptions.require(o.paths >= 1, "--paths must be at least 1, was " + o.paths);
    PipelineOptions.require(o.batch >= 1, "--batch must be at least 1, was " + o.batch);
  }

  @Override
  public long planSize(Options o) {
    return o.paths / o.batch + 1;
  }

  @Override
  public ItemPlan<BatchRef> itemPlan(Options o) { // batch i: paths i * batch and on
    long paths = o.paths;
    long batch = o.batch;
    return ItemPlan.indexed(
        Math.toIntExact((paths - 1) / batch + 1),
        i ->
            WorkItem.of(
                "batch-" + i, "simulate", new BatchRef(i, Math.min(batch, paths - i * batch))));
  }

  @Override
  public Behavior<Task<BatchRef, Batches>> worker(JobContext<Options> job) {
    long seed = job.options().seed;
    return Workers.of(
        ref -> new Batches(List.of(MonteCarlo.batch(seed, ref.index(), ref.paths()))));
  }

  @Override
  public Combiner<Batches> combiner(Options o) {
    // Batches are kept by index and summed in index order at the end: the same bits whatever
    // order they completed in. The accumulator's list grows in place (Troupe owns it and copies
    // it for snapshots), so a job of n items merges in O(n), not O(n^2).
    return Combiner.inPlace(
        () -> new Batches(new ArrayList<>()),
        (all, partial) -> all.batches().addAll(partial.batches()),
        all -> new Batches(new ArrayList<>(all.batches())),
        all -> Price.of(Estimate.of(all.batches()).result()));
  }

  @Override
  public Optional<Price> sequential(Options o) {
    return Optional.of(Price.of(MonteCarloSequential.run(o.paths, o.seed, o.batch)));
  }

  /**
   * The job's result.
   *
   * @param price the estimated price of the call
   * @param stderr the estimate's standard error; null for a single path, which has no sample
   *     deviation (JSON has no NaN)
   * @param paths the simulated paths
   * @param blackScholes the closed-form Black-Scholes price, for comparison
   */
  public record Price(double price, Double stderr, long paths, double blackScholes) {
    static Price of(MonteCarlo.Result r) {
      return new Price(
          r.price(), Double.isFinite(r.stderr()) ? r.stderr() : null, r.paths(), r.blackScholes());
    }
  }
}
