package io.troupe.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.troupe.actors.TroupeMessage;
import io.troupe.actors.Work;
import io.troupe.actors.Workers;
import io.troupe.cluster.ItemResult;
import io.troupe.cluster.Pipeline;
import io.troupe.cluster.PipelineUsageException;
import io.troupe.persistence.JobLogic;
import io.troupe.persistence.QuarantinedItem;
import io.troupe.persistence.WorkItem;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;

/**
 * A two-stage pipeline with a deliberately slow second stage (system-test pipeline): each of {@code
 * --items} items of stage {@code fast} takes {@code --fast-ms} and adds one item of stage {@code
 * slow}, which takes {@code --slow-ms}. The slow items pile up behind the fast ones, so the run
 * report and the dashboard must name {@code slow} as the bottleneck and show its queue growing.
 */
public final class SlowStagePipeline implements Pipeline<SlowStagePipeline.Options> {

  /** Parsed options. */
  public record Options(int items, long fastMs, long slowMs) {}

  /**
   * An item's payload or a partial result: how many items of each stage were done.
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
  public String usage() {
    return "  --items N (400)\n  --fast-ms M (5)\n  --slow-ms M (40)";
  }

  @Override
  public Options parse(List<String> args) {
    int items = 400;
    long fast = 5;
    long slow = 40;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (i + 1 >= args.size()) {
        throw new PipelineUsageException("slowstage: " + a + " needs a value");
      }
      switch (a) {
        case "--items" -> items = Integer.parseInt(args.get(++i));
        case "--fast-ms" -> fast = Long.parseLong(args.get(++i));
        case "--slow-ms" -> slow = Long.parseLong(args.get(++i));
        default -> throw new PipelineUsageException("slowstage: unknown option " + a);
      }
    }
    return new Options(items, fast, slow);
  }

  @Override
  public List<WorkItem> plan(Options o) {
    List<WorkItem> items = new ArrayList<>();
    for (int i = 1; i <= o.items(); i++) {
      items.add(new WorkItem("fast-" + i, "fast", new Count(1, 0)));
    }
    return items;
  }

  @Override
  public Behavior<Work<WorkItem, ItemResult>> worker(Options o) {
    return Workers.fromFunction(
        item -> {
          boolean fast = item.stage().equals("fast");
          try {
            Thread.sleep(fast ? o.fastMs() : o.slowMs());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (fast) {
            String next = "slow-" + item.id().substring("fast-".length());
            return new ItemResult(
                new Count(1, 0), List.of(new WorkItem(next, "slow", item.payload())));
          }
          return ItemResult.of(new Count(0, 1));
        });
  }

  @Override
  public JobLogic logic(Options o) {
    return new JobLogic() {
      @Override
      public TroupeMessage zero() {
        return new Count(0, 0);
      }

      @Override
      public TroupeMessage merge(TroupeMessage accumulator, TroupeMessage partial) {
        Count a = (Count) accumulator;
        Count p = (Count) partial;
        return new Count(a.fast() + p.fast(), a.slow() + p.slow());
      }

      @Override
      public TroupeMessage copy(TroupeMessage accumulator) {
        return accumulator;
      }

      @Override
      public JsonNode result(TroupeMessage accumulator, List<QuarantinedItem> quarantined) {
        Count c = (Count) accumulator;
        return JsonNodeFactory.instance.objectNode().put("fast", c.fast()).put("slow", c.slow());
      }
    };
  }

  @Override
  public JsonNode sequential(Options o) {
    return JsonNodeFactory.instance.objectNode().put("fast", o.items()).put("slow", o.items());
  }
}
