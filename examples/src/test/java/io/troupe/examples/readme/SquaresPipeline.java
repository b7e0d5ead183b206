package io.troupe.examples.readme;

// readme:begin pipeline
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.troupe.actors.TroupeMessage;
import io.troupe.actors.Work;
import io.troupe.actors.Workers;
import io.troupe.cluster.ItemResult;
import io.troupe.cluster.Pipeline;
import io.troupe.cluster.PipelineUsageException;
import io.troupe.persistence.JobLogic;
import io.troupe.persistence.WorkItem;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;

/** Sums i * i for i = 1..n, one range of numbers per work item. */
public final class SquaresPipeline implements Pipeline<Long> {

  /** A work item's payload. Everything that crosses nodes implements TroupeMessage. */
  public record Range(long from, long to) implements TroupeMessage {}

  /** A partial result: the sum over some ranges. */
  public record Sum(long value) implements TroupeMessage {}

  @Override
  public String name() {
    return "squares";
  }

  @Override
  public String description() {
    return "sums i*i for i = 1..n";
  }

  @Override
  public String usage() {
    return "  --n N   how many numbers (default 1000000)";
  }

  @Override
  public Long parse(List<String> args) { // runs on every node: validate, don't do work
    if (args.isEmpty()) {
      return 1_000_000L;
    }
    if (args.size() != 2 || !args.get(0).equals("--n") || !args.get(1).matches("\\d{1,9}")) {
      throw new PipelineUsageException("squares: expected --n N with 0 <= N < 10^9");
    }
    return Long.parseLong(args.get(1));
  }

  @Override
  public List<WorkItem> plan(Long n) { // the initial items; ids are deterministic
    List<WorkItem> items = new ArrayList<>();
    for (long from = 1; from <= n; from += 100_000) {
      items.add(
          new WorkItem("range-" + from, "square", new Range(from, Math.min(n, from + 99_999))));
    }
    return items;
  }

  @Override
  public Behavior<Work<WorkItem, ItemResult>> worker(Long n) { // an actor, one item at a time
    return Workers.fromFunction(item -> ItemResult.of(new Sum(squares((Range) item.payload()))));
  }

  @Override
  public JobLogic logic(Long n) { // associative and commutative: any order, any parallelism
    return JobLogic.of(Sum.class, new Sum(0), (a, b) -> new Sum(a.value() + b.value()), this::json);
  }

  @Override
  public JsonNode sequential(Long n) { // plain Java, no actors: the oracle and the baseline
    return json(new Sum(squares(new Range(1, n))));
  }

  private static long squares(Range r) {
    long sum = 0;
    for (long i = r.from(); i <= r.to(); i++) {
      sum += i * i;
    }
    return sum;
  }

  private JsonNode json(Sum sum) {
    return JsonNodeFactory.instance.objectNode().put("sumOfSquares", sum.value());
  }
}
// readme:end pipeline
