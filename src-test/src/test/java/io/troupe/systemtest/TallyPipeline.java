package io.troupe.systemtest;

import io.troupe.sdk.Combiner;
import io.troupe.sdk.JobContext;
import io.troupe.sdk.NoOptions;
import io.troupe.sdk.Pipeline;
import io.troupe.sdk.Task;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import io.troupe.sdk.Workers;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The least a pipeline can be (system-test pipeline): no options and no sequential reference.
 * Counts ten items.
 */
public final class TallyPipeline
    implements Pipeline<NoOptions, TallyPipeline.One, TallyPipeline.Count> {

  /** An item's payload. */
  public record One() implements TroupeMessage {}

  /**
   * A partial result and the result.
   *
   * @param items how many items
   */
  public record Count(long items) implements TroupeMessage {}

  @Override
  public String name() {
    return "tally";
  }

  @Override
  public String description() {
    return "counts ten items; no options, no sequential reference (system-test pipeline)";
  }

  @Override
  public NoOptions newOptions() {
    return NoOptions.INSTANCE;
  }

  @Override
  public List<WorkItem<One>> plan(NoOptions options) {
    return IntStream.range(0, 10)
        .mapToObj(i -> WorkItem.of("one-" + i, "count", new One()))
        .toList();
  }

  @Override
  public Behavior<Task<One, Count>> worker(JobContext<NoOptions> job) {
    return Workers.of(one -> new Count(1));
  }

  @Override
  public Combiner<Count> combiner(NoOptions options) {
    return Combiner.of(new Count(0), (a, b) -> new Count(a.items() + b.items()));
  }
}
