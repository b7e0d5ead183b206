package io.troupe.bench.failures;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.Behavior;

/**
 * A job of small CPU-bound items some of which throw, chosen by index (bench pipeline {@code
 * flaky}): item {@code i} fails on every attempt when {@code i % always == 7}, and on its first
 * attempt only when {@code i % once == 32} ({@code 0} turns either off). Every other attempt mixes
 * the index {@code --mix} times and answers with it, so the result is the sum of the mixed indexes
 * of all items that do not always fail.
 *
 * <p>Self-contained on purpose: it uses only the {@link Pipeline} interface, so it can follow the
 * pipeline SDK wherever it moves.
 */
public final class FlakyPipeline implements Pipeline<FlakyPipeline.Options> {

  /** Offset of the always-failing items within each stride of {@code always}. */
  static final int ALWAYS_OFFSET = 7;

  /** Offset of the once-failing items within each stride of {@code once}. */
  static final int ONCE_OFFSET = 32;

  /**
   * Parsed options, and the items that already failed their one time on this node.
   *
   * <p>A worker cannot see an item's attempt number (the coordinator counts attempts), so the job's
   * workers on one node share this set: a node parses a job's options once, when it joins the job.
   * Shared, thread-safe state is fine for a benchmark fixture and nowhere else.
   *
   * @param items items in the job
   * @param mix mixing rounds per item: the item's cost
   * @param always one item in this many fails on every attempt; 0 for none
   * @param once one item in this many fails on its first attempt only; 0 for none
   * @param failedOnce ids of the once-failing items that have failed already
   */
  public record Options(int items, int mix, int always, int once, Set<String> failedOnce) {}

  /**
   * An item's payload.
   *
   * @param index the item's index
   */
  public record Index(int index) implements TroupeMessage {}

  /**
   * A partial result and the job's accumulator.
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
  public String usage() {
    return "  --items N (10000)\n  --mix N (20000)\n  --always N (50)\n  --once N (50)";
  }

  @Override
  public Options parse(List<String> args) {
    int items = 10_000;
    int mix = 20_000;
    int always = 50;
    int once = 50;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (i + 1 >= args.size()) {
        throw new PipelineUsageException("flaky: " + a + " needs a value");
      }
      int value = Integer.parseInt(args.get(++i));
      if (value < 0) {
        throw new PipelineUsageException("flaky: " + a + " must not be negative");
      }
      switch (a) {
        case "--items" -> items = value;
        case "--mix" -> mix = value;
        case "--always" -> always = value;
        case "--once" -> once = value;
        default -> throw new PipelineUsageException("flaky: unknown option " + a);
      }
    }
    return new Options(items, mix, always, once, ConcurrentHashMap.newKeySet());
  }

  /** Returns true if item {@code i} fails on every attempt. */
  static boolean alwaysFails(Options o, int i) {
    return o.always() > 0 && i % o.always() == ALWAYS_OFFSET % o.always();
  }

  /** Returns true if item {@code i} fails on its first attempt only. */
  static boolean failsOnce(Options o, int i) {
    return o.once() > 0 && !alwaysFails(o, i) && i % o.once() == ONCE_OFFSET % o.once();
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
    return o.items();
  }

  @Override
  public List<WorkItem> plan(Options o) {
    List<WorkItem> items = new ArrayList<>(o.items());
    for (int i = 0; i < o.items(); i++) {
      items.add(new WorkItem("item-" + i, "compute", new Index(i)));
    }
    return items;
  }

  @Override
  public Behavior<Work<WorkItem, ItemResult>> worker(Options o) {
    return Workers.fromFunction(
        item -> {
          int i = ((Index) item.payload()).index();
          if (alwaysFails(o, i)) {
            throw new IllegalStateException("item " + i + " always fails");
          }
          if (failsOnce(o, i) && o.failedOnce().add(item.id())) {
            throw new IllegalStateException("item " + i + " fails once");
          }
          return ItemResult.of(new Tally(mix(i, o.mix()), 1));
        });
  }

  @Override
  public JobLogic logic(Options o) {
    return JobLogic.of(
        Tally.class,
        new Tally(0, 0),
        (a, b) -> new Tally(a.sum() + b.sum(), a.items() + b.items()),
        t -> json(t.sum(), t.items()));
  }

  @Override
  public JsonNode sequential(Options o) {
    long sum = 0;
    long items = 0;
    for (int i = 0; i < o.items(); i++) {
      if (!alwaysFails(o, i)) {
        sum += mix(i, o.mix());
        items++;
      }
    }
    return json(sum, items);
  }

  private static JsonNode json(long sum, long items) {
    return JsonNodeFactory.instance.objectNode().put("sum", sum).put("items", items);
  }
}
