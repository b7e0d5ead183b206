package io.troupe.examples.montecarlo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.actors.TroupeMessage;
import io.troupe.actors.Work;
import io.troupe.actors.Workers;
import io.troupe.cluster.ItemResult;
import io.troupe.cluster.Pipeline;
import io.troupe.examples.PipelineOptions;
import io.troupe.persistence.JobLogic;
import io.troupe.persistence.QuarantinedItem;
import io.troupe.persistence.WorkItem;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import picocli.CommandLine.Option;

/**
 * Pricing a European call by Monte Carlo under geometric Brownian motion (S0=100, K=100, r=0.05,
 * sigma=0.2, T=1). CPU-bound data parallelism: batch i draws its paths from a generator seeded by
 * (seed, i), and batches are summed in index order, so the price is bit-identical for any number of
 * workers or nodes.
 */
public final class MonteCarloPipeline implements Pipeline<MonteCarloPipeline.Options> {

  /** The options of montecarlo. */
  public static final class Options {
    @Option(names = "--paths", paramLabel = "N", description = "Simulated paths (default 10^7).")
    long paths = 10_000_000L;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default 42).")
    long seed = 42;

    @Option(
        names = "--batch",
        paramLabel = "N",
        description = "Paths per work item (default 100000); part of the random streams.")
    long batch = 100_000;
  }

  /**
   * A work item: batch {@code index} of {@code paths} paths.
   *
   * @param index the batch's index, which seeds its generator
   * @param paths the number of paths
   */
  public record BatchRef(long index, long paths) implements TroupeMessage {}

  /**
   * A partial result, and the job's accumulator: the sums of some batches, by batch.
   *
   * @param batches per batch: index, paths, sum and sum of squares of the discounted payoffs
   */
  public record Batches(List<MonteCarlo.Batch> batches) implements TroupeMessage {}

  @Override
  public String name() {
    return "montecarlo";
  }

  @Override
  public String description() {
    return "prices a European call by Monte Carlo (bit-identical for any parallelism)";
  }

  @Override
  public String usage() {
    return PipelineOptions.usage(Options::new);
  }

  @Override
  public Options parse(List<String> args) {
    Options o = PipelineOptions.parse(name(), Options::new, args);
    PipelineOptions.require(o.paths >= 1, name(), "--paths must be at least 1, was " + o.paths);
    PipelineOptions.require(o.batch >= 1, name(), "--batch must be at least 1, was " + o.batch);
    return o;
  }

  @Override
  public long planSize(Options o) {
    return o.paths / o.batch + 1;
  }

  @Override
  public List<WorkItem> plan(Options o) {
    List<WorkItem> items = new ArrayList<>();
    for (long[] b : MonteCarloSequential.batches(o.paths, o.batch)) {
      items.add(new WorkItem("batch-" + b[0], "simulate", new BatchRef(b[0], b[1])));
    }
    return items;
  }

  @Override
  public Behavior<Work<WorkItem, ItemResult>> worker(Options o) {
    return Workers.fromFunction(
        item -> {
          BatchRef ref = (BatchRef) item.payload();
          return ItemResult.of(
              new Batches(List.of(MonteCarlo.batch(o.seed, ref.index(), ref.paths()))));
        });
  }

  @Override
  public JobLogic logic(Options o) {
    // Batches are kept by index and summed in index order at the end: the same bits whatever
    // order they completed in. The accumulator's list grows in place (the ledger owns it and
    // copies it for snapshots), so a job of n items merges in O(n), not O(n^2).
    return new JobLogic() {
      @Override
      public TroupeMessage zero() {
        return new Batches(new ArrayList<>());
      }

      @Override
      public TroupeMessage merge(TroupeMessage accumulator, TroupeMessage partial) {
        List<MonteCarlo.Batch> all = ((Batches) accumulator).batches();
        Batches growing =
            all instanceof ArrayList<MonteCarlo.Batch>
                ? (Batches) accumulator
                : new Batches(new ArrayList<>(all));
        growing.batches().addAll(((Batches) partial).batches());
        return growing;
      }

      @Override
      public TroupeMessage copy(TroupeMessage accumulator) {
        return new Batches(new ArrayList<>(((Batches) accumulator).batches()));
      }

      @Override
      public JsonNode result(TroupeMessage accumulator, List<QuarantinedItem> quarantined) {
        return json(Estimate.of(((Batches) accumulator).batches()).result());
      }
    };
  }

  @Override
  public JsonNode sequential(Options o) {
    return json(MonteCarloSequential.run(o.paths, o.seed, o.batch));
  }

  private static JsonNode json(MonteCarlo.Result r) {
    ObjectNode node = JsonNodeFactory.instance.objectNode().put("price", r.price());
    // One path has no sample deviation; JSON has no NaN, so it is null.
    if (Double.isFinite(r.stderr())) {
      node.put("stderr", r.stderr());
    } else {
      node.putNull("stderr");
    }
    return node.put("paths", r.paths()).put("blackScholes", r.blackScholes());
  }
}
