package io.troupe.bench.scale;

import io.troupe.examples.primes.PrimesPipeline;
import io.troupe.examples.primes.PrimesPipeline.Options;
import io.troupe.examples.primes.PrimesPipeline.PrimeCount;
import io.troupe.examples.primes.PrimesPipeline.Range;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.ItemPlan;
import io.troupe.sdk.JobContext;
import io.troupe.sdk.Pipeline;
import io.troupe.sdk.Task;
import io.troupe.sdk.WorkItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;

/**
 * {@code primes} as a pipeline that lists its items ({@link #plan}) instead of planning them by
 * index: the same segments, ids, worker and result, so {@link ScaleBench} can measure what the
 * runtime keeps per item it must hold as an object (a pipeline that cannot plan by index, or items
 * its workers discover). Registered for the bench's JVMs only, as {@value #NAME}.
 */
public final class ListedPrimes implements Pipeline<Options, Range, PrimeCount> {

  /** The pipeline's name. */
  public static final String NAME = "scale-listed-primes";

  private final PrimesPipeline primes = new PrimesPipeline();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "primes, its segments listed rather than planned by index (bench only)";
  }

  @Override
  public Options newOptions() {
    return primes.newOptions();
  }

  @Override
  public void validate(Options options) {
    primes.validate(options);
  }

  @Override
  public long planSize(Options options) {
    return primes.planSize(options);
  }

  @Override
  public List<WorkItem<Range>> plan(Options options) throws Exception {
    ItemPlan<Range> indexed = primes.itemPlan(options);
    List<WorkItem<Range>> items = new ArrayList<>(indexed.size());
    for (int i = 0; i < indexed.size(); i++) {
      items.add(indexed.item(i));
    }
    return items;
  }

  @Override
  public Behavior<Task<Range, PrimeCount>> worker(JobContext<Options> job) {
    return primes.worker(job);
  }

  @Override
  public Combiner<PrimeCount> combiner(Options options) {
    return primes.combiner(options);
  }

  @Override
  public Optional<PrimeCount> sequential(Options options) {
    return primes.sequential(options);
  }
}
