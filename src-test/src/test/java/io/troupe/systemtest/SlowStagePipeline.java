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
 * A two-stage pipeline with a deliberately slow second stage (system-test pipeline): each of {@code
 * --items} items of stage {@code fast} takes {@code --fast-ms} and adds one item of stage {@code
 * slow}, which takes {@code --slow-ms}. The slow items pile up behind the fast ones, so the run
 * report and the dashboard must name {@code slow} as the bottleneck and show its queue growing.
 */
public final class SlowStagePipeline
    implements Pipeline<
        SlowStagePipeline.Options, SlowStagePipeline.Count, SlowStagePipeline.Count> {

  /** The options. */
  public static final class Options {
    @Option(names = "--items", paramLabel = "N", description = "Fast items (default 400).")
    int items = 400;

    @Option(names = "--fast-ms", paramLabel = "M", description = "Per fast item (default 5).")
    long fastMs = 5;

    @Option(names = "--slow-ms", paramLabel = "M", description = "Per slow item (default 40).")
    long slowMs = 40;
  }

  /**
   * An item's payload, a partial result and the result: how many items of each stage were done.
   *
   * @param fast fast items
   * @param slow slow items
   */
  public record Count(long fast, long slow) implements TroupeMessage {}

  @Override
  public String name() {
    return "slowstage";
  }

  @Override
  public String description() {
    return "two stages, the second deliberately slow (system-test pipeline)";
  }

  @Override
  public Options newOptions() {
    return new Options();
  }

  @Override
  public List<WorkItem<Count>> plan(Options o) {
    List<WorkItem<Count>> items = new ArrayList<>();
    for (int i = 1; i <= o.items; i++) {
      items.add(WorkItem.of("fast-" + i, "fast", new Count(1, 0)));
    }
    return items;
  }

  @Override
  public Behavior<Task<Count, Count>> worker(JobContext<Options> job) {
    Options o = job.options();
    return Workers.ofTasks(
        task -> {
          boolean fast = task.item().stage().equals("fast");
          Thread.sleep(fast ? o.fastMs : o.slowMs);
          if (fast) {
            String next = "slow-" + task.item().id().substring("fast-".length());
            task.complete(new Count(1, 0), List.of(WorkItem.of(next, "slow", task.payload())));
          } else {
            task.complete(new Count(0, 1));
          }
        });
  }

  @Override
  public Combiner<Count> combiner(Options o) {
    return Combiner.of(
        new Count(0, 0), (a, b) -> new Count(a.fast() + b.fast(), a.slow() + b.slow()));
  }

  @Override
  public Optional<Count> sequential(Options o) {
    return Optional.of(new Count(o.items, o.items));
  }
}
