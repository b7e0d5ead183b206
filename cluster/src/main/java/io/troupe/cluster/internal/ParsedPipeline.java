package io.troupe.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.actors.Work;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.Confinement;
import io.troupe.sdk.ItemPlan;
import io.troupe.sdk.Pipeline;
import io.troupe.sdk.PipelineUsageException;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import io.troupe.sdk.internal.ResultJson;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A pipeline together with options it has parsed: everything the runtime needs to plan, work and
 * combine one job, without the caller knowing the pipeline's type parameters.
 */
public final class ParsedPipeline {

  /** How long a worker's or finish step's keyed-state call waits for a reducer's answer. */
  private static final Duration KEYED_STATE_TIMEOUT = Duration.ofMinutes(1);

  private final List<String> args;
  private final Bound<?, ?, ?> bound;
  private final Confinement confinement;

  private ParsedPipeline(List<String> args, Bound<?, ?, ?> bound, Confinement confinement) {
    this.args = List.copyOf(args);
    this.bound = bound;
    this.confinement = confinement;
  }

  /**
   * Parses a pipeline's arguments under a node's confinement: the pipeline's {@link
   * Pipeline#validate} sees it as {@link Confinement#current()}, its workers as {@link
   * io.troupe.sdk.JobContext#confinement()}, and its prepare, plan and sequential steps run with it
   * current too.
   *
   * @param pipeline the pipeline
   * @param args its arguments
   * @param confinement where the job may read, write and connect on this node
   * @return the pipeline with parsed options
   * @throws PipelineUsageException if the arguments are wrong or reach outside the confinement
   */
  public static ParsedPipeline parse(
      Pipeline<?, ?, ?> pipeline, List<String> args, Confinement confinement) {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(confinement, "confinement");
    return new ParsedPipeline(
        args, Confinement.within(confinement, () -> bind(pipeline, args)), confinement);
  }

  private static <O, I extends TroupeMessage, P extends TroupeMessage> Bound<O, I, P> bind(
      Pipeline<O, I, P> pipeline, List<String> args) {
    O options;
    try {
      options = pipeline.parse(List.copyOf(args));
    } catch (PipelineUsageException e) {
      throw e;
    } catch (RuntimeException e) {
      // A pipeline's parser that trips over bad input (a number that is not one, a missing
      // value) is still a usage error, not an internal one.
      throw new PipelineUsageException(
          pipeline.name() + ": cannot parse its options " + args + ": " + e, e);
    }
    if (options == null) {
      throw new PipelineUsageException(pipeline.name() + ": its parser returned no options");
    }
    return new Bound<>(pipeline, options);
  }

  /** Returns the confinement the options were parsed under. */
  public Confinement confinement() {
    return confinement;
  }

  /** Returns the pipeline. */
  public Pipeline<?, ?, ?> pipeline() {
    return bound.pipeline();
  }

  /** Returns the pipeline's name. */
  public String name() {
    return bound.pipeline().name();
  }

  /** Returns the arguments the options were parsed from. */
  public List<String> args() {
    return args;
  }

  /** Returns the parsed options, for display. */
  public Object options() {
    return bound.options();
  }

  /** Makes the inputs ready; see {@link Pipeline#prepare}. */
  public void prepare() throws Exception {
    Confinement.call(
        confinement,
        () -> {
          bound.prepare();
          return null;
        });
  }

  /**
   * Produces the initial items, after {@link #prepare}; see {@link Pipeline#itemPlan}.
   *
   * @return the plan
   * @throws Exception if the pipeline cannot plan
   */
  public ItemPlan<?> plan() throws Exception {
    return Confinement.call(
        confinement,
        () -> {
          bound.prepare();
          return bound.plan();
        });
  }

  /**
   * Returns the behavior of one of a job's workers on this node, as the runtime runs it; see {@link
   * Pipeline#worker}.
   *
   * @param job the job's id
   * @param node this node as host:port
   * @param system this node's actor system
   * @return the worker behavior
   */
  public Behavior<Work<WorkItem<?>, ItemResult>> worker(
      String job, String node, ActorSystem<?> system) {
    return bound.worker(job, node, system, confinement);
  }

  /** Returns the combiner of partial results; see {@link Pipeline#combiner}. */
  public Combiner<TroupeMessage> combiner() {
    return bound.combiner();
  }

  /**
   * Returns whether the pipeline has a sequential reference: whether it overrides {@link
   * Pipeline#sequential}. A pipeline that overrides it and still returns empty has none either,
   * which {@link #sequential()} tells.
   *
   * @return false if the pipeline certainly has no sequential reference
   */
  public boolean hasSequential() {
    try {
      return bound.pipeline().getClass().getMethod("sequential", Object.class).getDeclaringClass()
          != Pipeline.class;
    } catch (NoSuchMethodException e) {
      return true;
    }
  }

  /**
   * Runs the sequential reference and renders its result as JSON; see {@link Pipeline#sequential}.
   *
   * @return the result, or empty if the pipeline has no sequential reference
   * @throws Exception if the reference failed
   */
  public Optional<JsonNode> sequential() throws Exception {
    return Confinement.call(confinement, bound::sequential);
  }

  /**
   * Starts the job's last step, if the pipeline has one; see {@link Pipeline#finish}.
   *
   * @param job the job's id
   * @param node this node as host:port
   * @param system this node's actor system
   * @return the step's partial, or empty for none
   */
  public Optional<CompletionStage<TroupeMessage>> finish(
      String job, String node, ActorSystem<?> system) {
    return bound.finish(job, node, system, confinement);
  }

  /** Returns the workers per node for this job; see {@link Pipeline#workersPerNode}. */
  public int workersPerNode(int configured) {
    return Math.max(1, bound.workersPerNode(configured));
  }

  /** Returns an upper bound of the planned items, or -1; see {@link Pipeline#planSize}. */
  public long planSize() {
    return bound.planSize();
  }

  /** Returns the most items a job may have; see {@link Pipeline#maxItems}. */
  public long maxItems() {
    return bound.maxItems();
  }

  /**
   * Returns a pipeline's keyed-state combiner as the reducer entities use it.
   *
   * @param pipeline the pipeline
   * @return its combiner, or empty if it keeps no keyed state
   */
  @SuppressWarnings("unchecked") // states and contributions are the combiner's own type
  public static Optional<Combiner<TroupeMessage>> keyedState(Pipeline<?, ?, ?> pipeline) {
    return pipeline.keyedState().map(c -> (Combiner<TroupeMessage>) (Combiner<?>) c);
  }

  /** A pipeline and its options, with the type parameters that bind them. */
  private record Bound<O, I extends TroupeMessage, P extends TroupeMessage>(
      Pipeline<O, I, P> pipeline, O options) {

    void prepare() throws Exception {
      pipeline.prepare(options);
    }

    ItemPlan<I> plan() throws Exception {
      ItemPlan<I> plan = pipeline.itemPlan(options);
      if (plan == null) {
        throw new IllegalStateException(pipeline.name() + ": its plan is null");
      }
      return plan;
    }

    NodeJobContext<O> context(
        String job, String node, ActorSystem<?> system, Confinement confinement) {
      return new NodeJobContext<>(
          job,
          pipeline.name(),
          options,
          node,
          system,
          new ReducerKeyedState(
              system, pipeline.name(), job, pipeline.keyedState().isPresent(), KEYED_STATE_TIMEOUT),
          confinement);
    }

    Behavior<Work<WorkItem<?>, ItemResult>> worker(
        String job, String node, ActorSystem<?> system, Confinement confinement) {
      NodeJobContext<O> context = context(job, node, system, confinement);
      // Asked for per worker, inside the worker's setup: a pipeline's worker() that throws fails
      // that worker's start like any other worker bug, and each worker gets a fresh behavior.
      return Behaviors.setup(
          ctx ->
              Behaviors.intercept(
                  TaskInterceptor<I, P>::new,
                  Objects.requireNonNull(
                      pipeline.worker(context), pipeline.name() + ": worker() returned null")));
    }

    @SuppressWarnings("unchecked") // partials of this job are P, which is a TroupeMessage
    Combiner<TroupeMessage> combiner() {
      return (Combiner<TroupeMessage>)
          (Combiner<?>)
              Objects.requireNonNull(
                  pipeline.combiner(options), pipeline.name() + ": combiner() returned null");
    }

    @SuppressWarnings("unchecked") // the step's partial is a P, which is a TroupeMessage
    Optional<CompletionStage<TroupeMessage>> finish(
        String job, String node, ActorSystem<?> system, Confinement confinement) {
      Optional<CompletionStage<P>> step = pipeline.finish(context(job, node, system, confinement));
      return step == null
          ? Optional.empty()
          : step.map(s -> (CompletionStage<TroupeMessage>) (CompletionStage<?>) s);
    }

    Optional<JsonNode> sequential() throws Exception {
      Optional<?> result = pipeline.sequential(options);
      return result == null ? Optional.empty() : result.map(ResultJson::render);
    }

    int workersPerNode(int configured) {
      return pipeline.workersPerNode(options, configured);
    }

    long planSize() {
      return pipeline.planSize(options);
    }

    long maxItems() {
      return pipeline.maxItems(options);
    }
  }
}
