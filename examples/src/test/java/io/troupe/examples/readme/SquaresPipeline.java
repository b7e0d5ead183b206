package io.troupe.examples.readme;

// readme:begin pipeline
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
import picocli.CommandLine.Option;

/** Sums i * i for i = 1..n, one range of numbers per work item. */
public final class SquaresPipeline
    implements Pipeline<SquaresPipeline.Options, SquaresPipeline.Range, SquaresPipeline.Sum> {

  /** The options: fields with picocli's @Option; `troupe run squares --help` lists them. */
  public static final class Options {
    @Option(names = "--n", paramLabel = "N", description = "How many numbers (default 1000000).")
    long n = 1_000_000;
  }

  /** A work item's payload. What crosses nodes implements TroupeMessage. */
  public record Range(long from, long to) implements TroupeMessage {}

  /** A partial result, and the result: Troupe renders it as {"sumOfSquares": ...}. */
  public record Sum(long sumOfSquares) implements TroupeMessage {}

  @Override
  public String name() {
    return "squares";
  }

  @Override
  public String description() {
    return "sums i*i for i = 1..n";
  }

  @Override
  public Options newOptions() {
    return new Options();
  }

  @Override
  public void validate(Options o) { // runs on every node: check, don't work
    PipelineOptions.require(
        o.n >= 0 && o.n <= 2_000_000,
        "--n must be in [0, 2000000] (the sum fits a long), was " + o.n);
  }

  @Override
  public ItemPlan<Range> itemPlan(Options o) { // the initial items, made by index on demand
    int ranges = (int) ((o.n + 99_999) / 100_000);
    return ItemPlan.indexed(
        ranges,
        i -> { // deterministic: the same item and id for the same options and index
          long from = 1 + i * 100_000L;
          return WorkItem.of(
              "range-" + from, "square", new Range(from, Math.min(o.n, from + 99_999)));
        });
  }

  @Override
  public Behavior<Task<Range, Sum>> worker(JobContext<Options> job) { // an actor per worker
    return Workers.of(range -> new Sum(squares(range))); // throwing fails just this item
  }

  @Override
  public Combiner<Sum> combiner(Options o) { // associative and commutative
    return Combiner.of(new Sum(0), (a, b) -> new Sum(a.sumOfSquares() + b.sumOfSquares()));
  }

  @Override
  public Optional<Sum> sequential(Options o) { // optional: plain Java, the oracle and baseline
    return Optional.of(new Sum(squares(new Range(1, o.n))));
  }

  private static long squares(Range r) {
    long sum = 0;
    for (long i = r.from(); i <= r.to(); i++) {
      sum += i * i;
    }
    return sum;
  }
}
// readme:end pipeline
