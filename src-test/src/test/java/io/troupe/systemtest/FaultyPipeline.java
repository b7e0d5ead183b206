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
 * A user pipeline on the CLI's classpath (found through ServiceLoader like any other): sums 1..n,
 * and item {@code --fail K} always throws.
 */
public final class FaultyPipeline implements Pipeline<FaultyPipeline.Options> {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(FaultyPipeline.class);

  /** Parsed options. */
  public record Options(int n, int fail, long sleepMs, int hang, long hangMs) {}

  /**
   * An item's payload or partial result: a number.
   *
   * @param value the number
   */
  public record Num(long value) implements TroupeMessage {}

  @Override
  public String name() {
    return "faulty";
  }

  @Override
  public String description() {
    return "sums 1..n; item --fail K always throws (system-test pipeline)";
  }

  @Override
  public String usage() {
    return "  --n N\n  --fail K\n  --sleep-ms M\n  --hang K (item K hangs --hang-ms M)";
  }

  @Override
  public Options parse(List<String> args) {
    int n = 10;
    int fail = -1;
    long sleep = 0;
    int hang = -1;
    long hangMs = 0;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (i + 1 >= args.size()) {
        throw new PipelineUsageException("faulty: " + a + " needs a value");
      }
      switch (a) {
        case "--n" -> n = Integer.parseInt(args.get(++i));
        case "--fail" -> fail = Integer.parseInt(args.get(++i));
        case "--sleep-ms" -> sleep = Long.parseLong(args.get(++i));
        case "--hang" -> hang = Integer.parseInt(args.get(++i));
        case "--hang-ms" -> hangMs = Long.parseLong(args.get(++i));
        default -> throw new PipelineUsageException("faulty: unknown option " + a);
      }
    }
    return new Options(n, fail, sleep, hang, hangMs);
  }

  @Override
  public long planSize(Options o) {
    return o.n();
  }

  @Override
  public List<WorkItem> plan(Options o) {
    List<WorkItem> items = new ArrayList<>();
    for (int i = 1; i <= o.n(); i++) {
      items.add(new WorkItem("item-" + i, "add", new Num(i)));
    }
    return items;
  }

  @Override
  public Behavior<Work<WorkItem, ItemResult>> worker(Options o) {
    return Workers.fromFunction(
        item -> {
          long v = ((Num) item.payload()).value();
          long pause = v == o.hang() ? o.hangMs() : o.sleepMs();
          if (pause > 0) {
            try {
              Thread.sleep(pause);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          if (v == o.fail()) {
            LOG.warn("Item {} is corrupt; throwing", v);
            throw new IllegalStateException("item " + v + " is corrupt");
          }
          return ItemResult.of(new Num(v));
        });
  }

  @Override
  public JobLogic logic(Options o) {
    return new JobLogic() {
      @Override
      public TroupeMessage zero() {
        return new Num(0);
      }

      @Override
      public TroupeMessage merge(TroupeMessage accumulator, TroupeMessage partial) {
        return new Num(((Num) accumulator).value() + ((Num) partial).value());
      }

      @Override
      public TroupeMessage copy(TroupeMessage accumulator) {
        return accumulator;
      }

      @Override
      public JsonNode result(TroupeMessage accumulator, List<QuarantinedItem> quarantined) {
        return JsonNodeFactory.instance.objectNode().put("sum", ((Num) accumulator).value());
      }
    };
  }

  @Override
  public JsonNode sequential(Options o) {
    long sum = 0;
    for (int i = 1; i <= o.n(); i++) {
      sum += i == o.fail() || i == o.hang() ? 0 : i;
    }
    return JsonNodeFactory.instance.objectNode().put("sum", sum);
  }
}
