package io.troupe.examples.primes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.troupe.actors.TroupeMessage;
import io.troupe.actors.Work;
import io.troupe.cluster.ItemResult;
import io.troupe.cluster.Pipeline;
import io.troupe.examples.PipelineOptions;
import io.troupe.persistence.JobLogic;
import io.troupe.persistence.WorkItem;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Option;

/**
 * Counting primes with a segmented sieve: the range [0, limit] is split into segments that workers
 * sieve independently with the same base primes. Task parallelism, fork/join style.
 */
public final class PrimesPipeline implements Pipeline<PrimesPipeline.Options> {

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
  public String usage() {
    return PipelineOptions.usage(Options::new);
  }

  @Override
  public Options parse(List<String> args) {
    Options o = PipelineOptions.parse(name(), Options::new, args);
    PipelineOptions.require(
        o.limit >= 0 && o.limit <= SegmentedSieve.MAX_LIMIT,
        name(),
        "--limit must be between 0 and " + SegmentedSieve.MAX_LIMIT + ", was " + o.limit);
    PipelineOptions.require(
        o.segment >= 1 && o.segment <= SegmentedSieve.MAX_SEGMENT_LENGTH,
        name(),
        "--segment must be between 1 and "
            + SegmentedSieve.MAX_SEGMENT_LENGTH
            + ", was "
            + o.segment);
    return o;
  }

  @Override
  public long planSize(Options o) {
    return o.limit / o.segment + 1;
  }

  @Override
  public List<WorkItem> plan(Options o) {
    List<WorkItem> items = new ArrayList<>();
    for (long[] range : PrimesSequential.segments(o.limit, o.segment)) {
      items.add(new WorkItem("segment-" + items.size(), "sieve", new Range(range[0], range[1])));
    }
    return items;
  }

  @Override
  public Behavior<Work<WorkItem, ItemResult>> worker(Options o) {
    return Behaviors.setup(
        ctx -> {
          // Each worker sieves the base primes once and reuses them for every segment.
          int[] base = SegmentedSieve.basePrimes(o.limit);
          return Behaviors.receiveMessage(
              work -> {
                Range r = (Range) work.item().payload();
                SegmentedSieve.Segment s = SegmentedSieve.count(r.lo(), r.hi(), base);
                work.reply(ItemResult.of(new PrimeCount(s.count(), s.largest())));
                return Behaviors.same();
              });
        });
  }

  @Override
  public JobLogic logic(Options o) {
    return JobLogic.of(
        PrimeCount.class,
        new PrimeCount(0, 0),
        (a, b) -> new PrimeCount(a.count() + b.count(), Math.max(a.largest(), b.largest())),
        c -> json(c.count(), c.largest()));
  }

  @Override
  public JsonNode sequential(Options o) {
    PrimesSequential.Result r = PrimesSequential.run(o.limit, o.segment);
    return json(r.count(), r.largest());
  }

  private static JsonNode json(long count, long largest) {
    return JsonNodeFactory.instance.objectNode().put("count", count).put("largest", largest);
  }
}
