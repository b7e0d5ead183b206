package io.troupe.examples.primes;

import io.troupe.sdk.Combiner;
import io.troupe.sdk.ItemPlan;
import io.troupe.sdk.JobContext;
import io.troupe.sdk.Pipeline;
import io.troupe.sdk.PipelineOptions;
import io.troupe.sdk.Task;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import io.troupe.sdk.Workers;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Option;

/**
 * Counting primes with a segmented sieve: the range [0, limit] is split into segments that workers
 * sieve independently with the same base primes. Task parallelism, fork/join style.
 */
public final class PrimesPipeline
    implements Pipeline<PrimesPipeline.Options, PrimesPipeline.Range, PrimesPipeline.PrimeCount> {

  /** The options of primes. */
  public static final class Options {
    @Option(names = "--limit", paramLabel = "N", description = "Count primes <= N (default 10^9).")
    long limit = 1_000_000_000L;

    @Option(
        names = "--segment",
        paramLabel = "SIZE",
        description = "Numbers per work item (default 2^22, about 4 million).")
    long segment = 1L << 22;
  }

  /**
   * A work item: the closed range [lo, hi].
   *
   * @param lo the first number
   * @param hi the last number
   */
  public record Range(long lo, long hi) implements TroupeMessage {}

  /**
   * A partial result and the job's accumulator.
   *
   * @param count primes found
   * @param largest the largest prime found, 0 if none
   */
  public record PrimeCount(long count, long largest) implements TroupeMessage {}

  @Override
  public String name() {
    return "primes";
  }

  @Override
  public String description() {
    return "counts the primes up to N with a segmented sieve (fork/join)";
  }

  @Override
  public Options newOptions() {
    return new Options();
  }

  @Override
  public void validate(Options o) {
    PipelineOptions.require(
        o.limit >= 0 && o.limit <= SegmentedSieve.MAX_LIMIT,
        "--limit must be between 0 and " + SegmentedSieve.MAX_LIMIT + ", was " + o.limit);
    PipelineOptions.require(
        o.segment >= 1 && o.segment <= SegmentedSieve.MAX_SEGMENT_LENGTH,
        "--segment must be between 1 and "
            + SegmentedSieve.MAX_SEGMENT_LENGTH
            + ", was "
            + o.segment);
  }

  @Override
  public long planSize(Options o) {
    return o.limit / o.segment + 1;
  }

  /**
   * Plans the segments by index: segment {@code i} is {@code [i * segment, ...]}, made when its
   * item is handed out, so a job of ten million segments holds none of them as a list.
   */
  @Override
  public ItemPlan<Range> itemPlan(Options o) {
    long segments = PrimesSequential.segmentCount(o.limit, o.segment);
    long limit = o.limit;
    long segment = o.segment;
    return ItemPlan.indexed(
        (int) segments,
        i -> {
          long lo = i * segment;
          long hi = lo + Math.min(segment - 1, limit - lo);
          return WorkItem.of("segment-" + i, "sieve", new Range(lo, hi));
        });
  }

  @Override
  public Behavior<Task<Range, PrimeCount>> worker(JobContext<Options> job) {
    return Behaviors.setup(
        ctx -> {
          // Each worker sieves the base primes once and reuses them for every segment.
          int[] base = SegmentedSieve.basePrimes(job.options().limit);
          return Workers.of(
              r -> {
                SegmentedSieve.Segment s = SegmentedSieve.count(r.lo(), r.hi(), base);
                return new PrimeCount(s.count(), s.largest());
              });
        });
  }

  @Override
  public Combiner<PrimeCount> combiner(Options o) {
    return Combiner.of(
        new PrimeCount(0, 0),
        (a, b) -> new PrimeCount(a.count() + b.count(), Math.max(a.largest(), b.largest())));
  }

  @Override
  public Optional<PrimeCount> sequential(Options o) {
    PrimesSequential.Result r = PrimesSequential.run(o.limit, o.segment);
    return Optional.of(new PrimeCount(r.count(), r.largest()));
  }
}
