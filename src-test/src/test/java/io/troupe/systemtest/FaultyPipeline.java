package io.troupe.systemtest;

import io.troupe.sdk.Combiner;
import io.troupe.sdk.JobContext;
import io.troupe.sdk.Pipeline;
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
 * A user pipeline on the CLI's classpath (found through ServiceLoader like any other): sums 1..n,
 * and item {@code --fail K} always throws.
 */
public final class FaultyPipeline
    implements Pipeline<FaultyPipeline.Options, FaultyPipeline.Num, FaultyPipeline.Num> {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(FaultyPipeline.class);

  /** The options. */
  public static final class Options {
    @Option(names = "--n", paramLabel = "N", description = "Items (default 10).")
    int n = 10;

    @Option(names = "--fail", paramLabel = "K", description = "Item K always throws.")
    int fail = -1;

    @Option(names = "--sleep-ms", paramLabel = "M", description = "Sleep per item.")
    long sleepMs;

    @Option(names = "--hang", paramLabel = "K", description = "Item K hangs --hang-ms.")
    int hang = -1;

    @Option(names = "--hang-ms", paramLabel = "M", description = "How long item --hang hangs.")
    long hangMs;
  }

  /**
   * An item's payload or partial result: a number.
   *
   * @param value the number
   */
  public record Num(long value) implements TroupeMessage {}

  /**
   * The result.
   *
   * @param sum the sum of the items that completed
   */
  public record Sum(long sum) {}

  @Override
  public String name() {
    return "faulty";
  }

  @Override
  public String description() {
    return "sums 1..n; item --fail K always throws (system-test pipeline)";
  }

  @Override
  public Options newOptions() {
    return new Options();
  }

  @Override
  public long planSize(Options o) {
    return o.n;
  }

  @Override
  public List<WorkItem<Num>> plan(Options o) {
    List<WorkItem<Num>> items = new ArrayList<>();
    for (int i = 1; i <= o.n; i++) {
      items.add(WorkItem.of("item-" + i, "add", new Num(i)));
    }
    return items;
  }

  @Override
  public Behavior<Task<Num, Num>> worker(JobContext<Options> job) {
    Options o = job.options();
    return Workers.of(
        num -> {
          long v = num.value();
          long pause = v == o.hang ? o.hangMs : o.sleepMs;
          if (pause > 0) {
            Thread.sleep(pause);
          }
          if (v == o.fail) {
            LOG.warn("Item {} is corrupt; throwing", v);
            throw new IllegalStateException("item " + v + " is corrupt");
          }
          return num;
        });
  }

  @Override
  public Combiner<Num> combiner(Options o) {
    return Combiner.of(
        new Num(0), (a, b) -> new Num(a.value() + b.value()), total -> new Sum(total.value()));
  }

  @Override
  public Optional<Sum> sequential(Options o) {
    long sum = 0;
    for (int i = 1; i <= o.n; i++) {
      sum += i == o.fail || i == o.hang ? 0 : i;
    }
    return Optional.of(new Sum(sum));
  }
}
