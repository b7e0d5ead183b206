package io.troupe.bench.failures;

import io.troupe.sdk.Combiner;
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
 * A job of small CPU-bound items some of which throw, chosen by index (bench pipeline {@code
 * flaky}): item {@code i} fails on every attempt when {@code i % always == 7}, and on its first
 * attempt only when {@code i % once == 32} ({@code 0} turns either off). Every other attempt mixes
 * the index {@code --mix} times and answers with it, so the result is the sum of the mixed indexes
 * of all items that do not always fail.
 */
public final class FlakyPipeline
    implements Pipeline<FlakyPipeline.Options, FlakyPipeline.Index, FlakyPipeline.Tally> {

  /** Offset of the always-failing items within each stride of {@code always}. */
  static final int ALWAYS_OFFSET = 7;

  /** Offset of the once-failing items within each stride of {@code once}. */
  static final int ONCE_OFFSET = 32;

  /** The options. */
  public static final class Options {
    @Option(names = "--items", paramLabel = "N", description = "Items in the job (default 10000).")
    int items = 10_000;

    @Option(names = "--mix", paramLabel = "N", description = "Mixing rounds per item (20000).")
    int mix = 20_000;

    @Option(
        names = "--always",
        paramLabel = "N",
        description = "One item in N fails on every attempt; 0 for none (default 50).")
    int always = 50;

    @Option(
        names = "--once",
        paramLabel = "N",
        description = "One item in N fails on its first attempt only; 0 for none (default 50).")
    int once = 50;
  }

  /**
   * An item's payload.
   *
   * @param index the item's index
   */
  public record Index(int index) implements TroupeMessage {}

  /**
   * A partial result, the job's accumulator and its result.
   *
   * @param sum the mixed indexes, summed modulo 2^64
   * @param items how many items the sum covers
   */
  public record Tally(long sum, long items) implements TroupeMessage {}

  @Override
  public String name() {
    return "flaky";
  }

  @Override
  public String description() {
    return "small items, some of which throw (bench pipeline for bench/run failures)";
  }

  @Override
  public Options newOptions() {
    return new Options();
  }

  @Override
  public void validate(Options o) {
    PipelineOptions.require(
        o.items >= 0 && o.mix >= 0 && o.always >= 0 && o.once >= 0,
        "--items, --mix, --always and --once must not be negative");
  }

  /** Returns true if item {@code i} fails on every attempt. */
  static boolean alwaysFails(Options o, int i) {
    return o.always > 0 && i % o.always == ALWAYS_OFFSET % o.always;
  }

  /** Returns true if item {@code i} fails on its first attempt only. */
  static boolean failsOnce(Options o, int i) {
    return o.once > 0 && !alwaysFails(o, i) && i % o.once == ONCE_OFFSET % o.once;
  }

  /** Returns the work of one item: its index, mixed {@code rounds} times. */
  static long mix(int index, int rounds) {
    long x = (index + 1) * 0x9E3779B97F4A7C15L;
    for (int r = 0; r < rounds; r++) {
      x ^= x >>> 31;
      x *= 0xBF58476D1CE4E5B9L;
      x ^= x >>> 27;
    }
    return x;
  }

  @Override
  public long planSize(Options o) {
    return o.items;
  }

  @Override
  public List<WorkItem<Index>> plan(Options o) {
    List<WorkItem<Index>> items = new ArrayList<>(o.items);
    for (int i = 0; i < o.items; i++) {
      items.add(WorkItem.of("item-" + i, "compute", new Index(i)));
    }
    return items;
  }

  @Override
  public Behavior<Task<Index, Tally>> worker(JobContext<Options> job) {
    Options o = job.options();
    return Workers.ofTasks(
        task -> {
          int i = task.payload().index();
          if (alwaysFails(o, i)) {
            throw new IllegalStateException("item " + i + " always fails");
          }
          if (failsOnce(o, i) && task.attempt() == 1) {
            throw new IllegalStateException("item " + i + " fails once");
          }
          task.complete(new Tally(mix(i, o.mix), 1));
        });
  }

  @Override
  public Combiner<Tally> combiner(Options o) {
    return Combiner.of(
        new Tally(0, 0), (a, b) -> new Tally(a.sum() + b.sum(), a.items() + b.items()));
  }

  @Override
  public Optional<Tally> sequential(Options o) {
    long sum = 0;
    long items = 0;
    for (int i = 0; i < o.items; i++) {
      if (!alwaysFails(o, i)) {
        sum += mix(i, o.mix);
        items++;
      }
    }
    return Optional.of(new Tally(sum, items));
  }
}
