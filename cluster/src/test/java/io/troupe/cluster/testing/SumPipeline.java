package io.troupe.cluster.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.actors.TroupeMessage;
import io.troupe.actors.Work;
import io.troupe.actors.Workers;
import io.troupe.cluster.ItemResult;
import io.troupe.cluster.Pipeline;
import io.troupe.cluster.PipelineUsageException;
import io.troupe.persistence.JobLogic;
import io.troupe.persistence.WorkItem;
import io.troupe.persistence.testing.CountLogic;
import io.troupe.persistence.testing.CountLogic.Count;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.Behavior;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline for runtime tests: item i contributes i to a sum.
 *
 * <p>Options: {@code --n N} items; {@code --sleep-ms M} per item; {@code --fail K} item K always
 * logs a warning and throws; {@code --flaky K} item K throws on its first attempt only; {@code
 * --fork} every item {@code i <= n/2} also discovers item {@code i + n} (and item 1 rediscovers
 * item 2); {@code --huge K} item K returns a partial of 9 MiB, too large for one Artery frame (8
 * MiB); {@code --unwritable K} item K returns a partial that cannot be serialized; {@code
 * --unsized} the pipeline does not tell its plan's size before planning.
 */
public final class SumPipeline implements Pipeline<SumPipeline.Options> {

  private static final Logger LOG = LoggerFactory.getLogger(SumPipeline.class);

  /** Parsed options. */
  public record Options(
      int n,
      long sleepMs,
      int fail,
      int flaky,
      boolean fork,
      int huge,
      int unwritable,
      boolean unsized) {
    boolean skipped(long v) {
      return v == fail || v == huge || v == unwritable;
    }
  }

  /**
   * A partial too large to cross nodes.
   *
   * @param padding nine mebibytes of text
   */
  public record Bulky(String padding) implements TroupeMessage {}

  /**
   * A partial that cannot be serialized: its one accessor throws.
   *
   * @param value never readable
   */
  public record Unwritable(long value) implements TroupeMessage {
    @Override
    public long value() {
      throw new UnsupportedOperationException("this partial cannot be written");
    }
  }

  /**
   * An item's payload.
   *
   * @param value the number it contributes
   */
  public record Value(long value) implements TroupeMessage {}

  /** Ids of flaky items that already failed once, per JVM (tests share the JVM). */
  static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();

  @Override
  public String name() {
    return "sum";
  }

  @Override
  public String description() {
    return "adds the numbers 1..n (runtime test pipeline)";
  }

  @Override
  public String usage() {
    return "--n N, --sleep-ms M, --fail K, --flaky K, --fork, --huge K, --unwritable K, --unsized";
  }

  @Override
  public Options parse(List<String> args) {
    int n = 10;
    long sleep = 0;
    int fail = -1;
    int flaky = -1;
    boolean fork = false;
    int huge = -1;
    int unwritable = -1;
    boolean unsized = false;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--n" -> n = Integer.parseInt(args.get(++i));
        case "--sleep-ms" -> sleep = Long.parseLong(args.get(++i));
        case "--fail" -> fail = Integer.parseInt(args.get(++i));
        case "--flaky" -> flaky = Integer.parseInt(args.get(++i));
        case "--fork" -> fork = true;
        case "--huge" -> huge = Integer.parseInt(args.get(++i));
        case "--unwritable" -> unwritable = Integer.parseInt(args.get(++i));
        case "--unsized" -> unsized = true;
        default -> throw new PipelineUsageException("unknown option " + args.get(i) + " for sum");
      }
    }
    return new Options(n, sleep, fail, flaky, fork, huge, unwritable, unsized);
  }

  @Override
  public long planSize(Options options) {
    return options.unsized() ? -1 : options.n();
  }

  @Override
  public List<WorkItem> plan(Options options) {
    List<WorkItem> items = new ArrayList<>();
    for (int i = 1; i <= options.n(); i++) {
      items.add(item(i));
    }
    return items;
  }

  private static WorkItem item(long i) {
    return new WorkItem("n-" + i, i > 0 ? "add" : "add", new Value(i));
  }

  @Override
  public Behavior<Work<WorkItem, ItemResult>> worker(Options options) {
    return Workers.fromFunction(
        item -> {
          long v = ((Value) item.payload()).value();
          if (options.sleepMs() > 0) {
            try {
              Thread.sleep(options.sleepMs());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            }
          }
          if (v == options.fail()) {
            LOG.warn("Item {} is poison; throwing", v);
            throw new IllegalStateException("item " + v + " is poison");
          }
          if (v == options.flaky() && FAILED_ONCE.add(item.id())) {
            throw new IllegalStateException("item " + v + " is flaky");
          }
          if (v == options.huge()) {
            return ItemResult.of(new Bulky("x".repeat(9 << 20)));
          }
          if (v == options.unwritable()) {
            return ItemResult.of(new Unwritable(v));
          }
          List<WorkItem> children = new ArrayList<>();
          if (options.fork() && v <= options.n() / 2) {
            children.add(item(v + options.n()));
            if (v == 1) {
              children.add(item(2));
            }
          }
          return new ItemResult(new Count(v, 1), children);
        });
  }

  @Override
  public JobLogic logic(Options options) {
    return new CountLogic();
  }

  @Override
  public JsonNode sequential(Options options) {
    long sum = 0;
    long items = 0;
    for (long i = 1; i <= options.n(); i++) {
      if (options.skipped(i)) {
        continue;
      }
      sum += i;
      items++;
      if (options.fork() && i <= options.n() / 2) {
        sum += i + options.n();
        items++;
      }
    }
    return new CountLogic().result(new Count(sum, items), List.of());
  }
}
