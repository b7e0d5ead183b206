package io.troupe.cluster.testing;

import io.troupe.persistence.testing.CountLogic;
import io.troupe.persistence.testing.CountLogic.Count;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.Behavior;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * A pipeline for runtime tests: item i contributes i to a sum.
 *
 * <p>Options: {@code --n N} items; {@code --sleep-ms M} per item; {@code --fail K} item K always
 * logs a warning and throws; {@code --flaky K} item K throws on its first attempt only; {@code
 * --fork} every item {@code i <= n/2} also discovers item {@code i + n} (and item 1 rediscovers
 * item 2); {@code --huge K} item K returns a partial of 9 MiB, too large for one Artery frame (8
 * MiB); {@code --unwritable K} item K returns a partial that cannot be serialized; {@code
 * --unsized} the pipeline does not tell its plan's size before planning; {@code --hang K} item K
 * sleeps {@code --hang-ms} (default 3000) on every attempt, as a hung call would.
 */
public final class SumPipeline
    implements Pipeline<SumPipeline.Options, SumPipeline.Value, TroupeMessage> {

  private static final Logger LOG = LoggerFactory.getLogger(SumPipeline.class);

  /** Options. */
  public static final class Options {
    @Option(names = "--n", description = "items")
    int n = 10;

    @Option(names = "--sleep-ms", description = "sleep per item")
    long sleepMs;

    @Option(names = "--fail", description = "an item that always throws")
    int fail = -1;

    @Option(names = "--flaky", description = "an item that throws once")
    int flaky = -1;

    @Option(names = "--fork", description = "items discover more items")
    boolean fork;

    @Option(names = "--huge", description = "an item with a 9 MiB partial")
    int huge = -1;

    @Option(names = "--unwritable", description = "an item whose partial cannot be serialized")
    int unwritable = -1;

    @Option(names = "--unsized", description = "do not tell the plan's size")
    boolean unsized;

    @Option(names = "--hang", description = "an item that hangs on every attempt")
    int hang = -1;

    @Option(names = "--hang-ms", description = "how long the hanging item hangs")
    long hangMs = 3000;

    boolean skipped(long v) {
      return v == fail || v == huge || v == unwritable || v == hang;
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
  public Options newOptions() {
    return new Options();
  }

  @Override
  public long planSize(Options options) {
    return options.unsized ? -1 : options.n;
  }

  @Override
  public List<WorkItem<Value>> plan(Options options) {
    List<WorkItem<Value>> items = new ArrayList<>();
    for (int i = 1; i <= options.n; i++) {
      items.add(item(i));
    }
    return items;
  }

  private static WorkItem<Value> item(long i) {
    return WorkItem.of("n-" + i, "add", new Value(i));
  }

  @Override
  public Behavior<Task<Value, TroupeMessage>> worker(JobContext<Options> job) {
    Options options = job.options();
    return Workers.ofTasks(
        task -> {
          long v = task.payload().value();
          if (options.sleepMs > 0) {
            Thread.sleep(options.sleepMs);
          }
          if (v == options.hang) {
            Thread.sleep(options.hangMs);
          }
          if (v == options.fail) {
            LOG.warn("Item {} is poison; throwing", v);
            throw new IllegalStateException("item " + v + " is poison");
          }
          if (v == options.flaky && FAILED_ONCE.add(task.item().id())) {
            throw new IllegalStateException("item " + v + " is flaky");
          }
          if (v == options.huge) {
            task.complete(new Bulky("x".repeat(9 << 20)));
            return;
          }
          if (v == options.unwritable) {
            task.complete(new Unwritable(v));
            return;
          }
          List<WorkItem<Value>> children = new ArrayList<>();
          if (options.fork && v <= options.n / 2) {
            children.add(item(v + options.n));
            if (v == 1) {
              children.add(item(2));
            }
          }
          task.complete(new Count(v, 1), children);
        });
  }

  @Override
  public Combiner<TroupeMessage> combiner(Options options) {
    return new CountLogic();
  }

  @Override
  public Optional<?> sequential(Options options) {
    long sum = 0;
    long items = 0;
    for (long i = 1; i <= options.n; i++) {
      if (options.skipped(i)) {
        continue;
      }
      sum += i;
      items++;
      if (options.fork && i <= options.n / 2) {
        sum += i + options.n;
        items++;
      }
    }
    return Optional.of(new CountLogic().result(new Count(sum, items), List.of()));
  }
}
