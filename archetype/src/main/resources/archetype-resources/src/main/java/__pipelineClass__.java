package ${package};

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

/**
 * The {@code ${artifactId}} pipeline: counts the primes up to {@code --n} by trial division, one
 * range of numbers per work item. Replace the ranges, the worker and the combiner with your own
 * work; keep the shape.
 */
public final class ${pipelineClass}
    implements Pipeline<${pipelineClass}.Options, ${pipelineClass}.Range, ${pipelineClass}.Primes> {

  /** The options: fields with picocli's @Option; {@code troupe run ${artifactId} --help} lists them. */
  public static final class Options {
    @Option(names = "--n", paramLabel = "N", description = "Count the primes up to N (default 1000000).")
    long n = 1_000_000;

    @Option(names = "--chunk", paramLabel = "C", description = "Numbers per work item (default 100000).")
    long chunk = 100_000;
  }

  /**
   * A work item's payload: the numbers from {@code from} to {@code to}, both included. What crosses
   * nodes implements TroupeMessage.
   */
  public record Range(long from, long to) implements TroupeMessage {}

  /**
   * A partial result, and the result: Troupe renders it as {@code {"count": ..., "largest": ...}}.
   */
  public record Primes(long count, long largest) implements TroupeMessage {}

  @Override
  public String name() {
    return "${artifactId}";
  }

  @Override
  public String description() {
    return "counts the primes up to N by trial division (a Troupe pipeline)";
  }

  @Override
  public Options newOptions() {
    return new Options();
  }

  @Override
  public void validate(Options o) { // runs on every node: check the options, do no work
    PipelineOptions.require(o.n >= 0 && o.n <= 1_000_000_000_000L, "--n must be in [0, 10^12], was " + o.n);
    PipelineOptions.require(o.chunk >= 1, "--chunk must be at least 1, was " + o.chunk);
  }

  @Override
  public long planSize(Options o) { // lets Troupe refuse a job too big for a coordinator at once
    return o.n / o.chunk + 1;
  }

  @Override
  public ItemPlan<Range> itemPlan(Options o) { // the initial items, made by index when handed out
    long chunk = o.chunk;
    long n = o.n;
    return ItemPlan.indexed(Math.toIntExact((n + chunk - 1) / chunk), i -> {
      long from = 1 + i * chunk; // deterministic: the same item and id for the same options and i
      return WorkItem.of("range-" + from, "count", new Range(from, Math.min(n, from + chunk - 1)));
    });
  }

  @Override
  public Behavior<Task<Range, Primes>> worker(JobContext<Options> job) { // an actor per worker
    // An exception thrown here fails only this item: it is retried, then quarantined.
    return Workers.of(range -> count(range));
  }

  @Override
  public Combiner<Primes> combiner(Options o) { // associative and commutative: any order
    return Combiner.of(
        new Primes(0, 0),
        (a, b) -> new Primes(a.count() + b.count(), Math.max(a.largest(), b.largest())));
  }

  @Override
  public Optional<Primes> sequential(Options o) { // plain Java: the oracle and the speedup baseline
    return Optional.of(count(new Range(1, o.n)));
  }

  static Primes count(Range range) {
    long count = 0;
    long largest = 0;
    for (long i = Math.max(2, range.from()); i <= range.to(); i++) {
      if (isPrime(i)) {
        count++;
        largest = i;
      }
    }
    return new Primes(count, largest);
  }

  private static boolean isPrime(long n) {
    if (n % 2 == 0) {
      return n == 2;
    }
    for (long d = 3; d * d <= n; d += 2) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }
}
