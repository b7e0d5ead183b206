package io.troupe.sdk;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;

/**
 * A pipeline: a kind of job Troupe can run. Implementations are found with {@link
 * java.util.ServiceLoader}: list the class in {@code META-INF/services/io.troupe.sdk.Pipeline}, put
 * the jar on Troupe's classpath ({@code bin/troupe --classpath JAR}, {@code TROUPE_CLASSPATH} or a
 * {@code plugins/} directory), and {@code troupe list} shows it, {@code troupe run NAME} runs it.
 *
 * <p>A job is a run of a pipeline over a dynamic set of {@link WorkItem}s. {@link #plan} (a list)
 * or {@link #itemPlan} (items by index, made on demand) gives the initial items; a worker actor
 * ({@link #worker}) processes one item at a time and answers its {@link Task} with a partial result
 * and optionally new items; the {@link #combiner} adds the partials up (associative and
 * commutative, so any order and any parallelism give the same result) and says what the result is.
 * The job runs the same on one node or many: its items go to every node's workers, and a node that
 * dies costs only time.
 *
 * <p>Options are parsed on every node from the job's arguments ({@link #parse}), so parsing must be
 * deterministic and must not depend on anything but the arguments and files every node sees.
 *
 * <p>The optional parts: a {@link #sequential} reference (plain Java, the correctness oracle and
 * the speedup baseline of {@code --compare-sequential}); sharded entities a pipeline's workers talk
 * to, started on every node by {@link #start}; keyed state spread over the nodes ({@link
 * #keyedState}, {@link JobContext#keyedState()}); and a last step before the job closes ({@link
 * #finish}), which gathers such state.
 *
 * @param <O> the options: a class whose fields carry picocli's {@code @Option} (see {@link
 *     PipelineOptions}), or {@link NoOptions}
 * @param <I> the payload type of the job's items
 * @param <P> the partial result type, which is also the accumulator's
 */
public interface Pipeline<O, I extends TroupeMessage, P extends TroupeMessage> {

  /** Returns the name users type: lowercase letters, digits and '-', starting with a letter. */
  String name();

  /** Returns a one-line description for {@code troupe list}. */
  String description();

  /**
   * Returns a new options object holding the defaults. Its fields annotated with picocli's
   * {@code @Option} are the pipeline's options; {@link NoOptions#INSTANCE} for a pipeline without
   * any.
   */
  O newOptions();

  /**
   * Checks parsed options, and may derive values from them. Use {@link PipelineOptions#require}.
   *
   * @param options the options as parsed
   * @throws PipelineUsageException if an option is invalid; its message says which and what is
   *     allowed
   */
  default void validate(O options) {}

  /**
   * Parses and validates the pipeline's options: {@link #newOptions}, picocli, then {@link
   * #validate}. Override only to parse some other way.
   *
   * @param args the arguments after the pipeline's name, without Troupe's own flags
   * @return the options
   * @throws PipelineUsageException if an option is unknown, malformed or invalid
   */
  default O parse(List<String> args) {
    return PipelineOptions.parse(this, args);
  }

  /** Returns the help text of the options, one per line, for {@code troupe run NAME --help}. */
  default String usage() {
    return PipelineOptions.usage(this);
  }

  /**
   * Makes the job's inputs ready, for example by generating a default input that is missing. Runs
   * before {@link #plan} (on a thread that may block) and before a sequential run is timed, so that
   * neither pays for it. Must be idempotent and safe when several processes call it at once.
   *
   * @param options the options
   * @throws PipelineUsageException if an input does not exist
   * @throws Exception if the inputs cannot be made ready
   */
  default void prepare(O options) throws Exception {}

  /**
   * Produces the job's initial items as a list. Runs once per job, on the node that coordinates it,
   * on a thread that may block. Override this or {@link #itemPlan}; the list is stored in the job's
   * ledger, so it must fit in memory. For a pipeline that overrides only {@link #itemPlan}, the
   * default lists that plan's items (for tests and tools; jobs use {@link #itemPlan}).
   *
   * @param options the options
   * @return items with distinct, deterministic ids
   * @throws Exception if the items cannot be produced (the job fails with the message)
   * @throws UnsupportedOperationException if the pipeline overrides neither method
   */
  default List<WorkItem<I>> plan(O options) throws Exception {
    if (getClass().getMethod("itemPlan", Object.class).getDeclaringClass() == Pipeline.class) {
      throw new UnsupportedOperationException(
          "pipeline " + name() + " overrides neither plan nor itemPlan");
    }
    return itemPlan(options).toList();
  }

  /**
   * Produces the job's initial items, by index. The default lists {@link #plan}. Override it with
   * an {@linkplain ItemPlan#indexed indexed plan} when item {@code i} follows from the options and
   * {@code i}: a job's memory then grows with the items in flight, not with the size of the plan,
   * and its ledger stores no item. Runs once per job on the node that coordinates it, and again
   * when the job is resumed (an indexed plan must then have the same size), on a thread that may
   * block.
   *
   * @param options the options
   * @return the plan
   * @throws Exception if the items cannot be produced (the job fails with the message)
   */
  default ItemPlan<I> itemPlan(O options) throws Exception {
    return ItemPlan.of(plan(options));
  }

  /**
   * Returns the behavior of one worker: an actor that receives one {@link Task} at a time and
   * answers it. {@link Workers} makes the common ones. Each node runs {@link #workersPerNode}
   * workers per job, on a dispatcher sized to them, so a worker may compute for a while but must
   * not block on I/O for long.
   *
   * @param job the job, its options and this node
   * @return the worker behavior
   */
  Behavior<Task<I, P>> worker(JobContext<O> job);

  /**
   * Returns how partial results combine, and the result.
   *
   * @param options the options
   * @return the combiner
   */
  Combiner<P> combiner(O options);

  /**
   * Computes the result with plain single-threaded Java, no actors: the oracle a job's result is
   * compared with, and the baseline of {@code --compare-sequential}. It must render as the same
   * JSON as the job's result. Optional; without one, {@code --sequential} and {@code
   * --compare-sequential} say so.
   *
   * @param options the options
   * @return the result, or empty if the pipeline has no sequential reference (the default)
   * @throws Exception if it cannot be computed
   */
  default Optional<?> sequential(O options) throws Exception {
    return Optional.empty();
  }

  /**
   * Returns how many items {@link #plan} would return for these options, at most, if the options
   * alone tell. Troupe refuses a job whose plan would exceed {@code troupe.jobs.max-items} before
   * planning it, so that a mistyped option cannot fill a coordinator's heap. A pipeline whose plan
   * depends on its inputs returns -1, the default; its plan is counted once made.
   *
   * @param options the options
   * @return an upper bound of the planned items, or -1 if unknown
   */
  default long planSize(O options) {
    return -1;
  }

  /**
   * Returns the most items a job may have, counting planned items and every item its workers
   * discover; once it has that many, further discovered items are dropped. A crawler bounds its
   * pages this way. Which items are dropped depends on timing, so a job that reaches the cap is not
   * reproducible.
   *
   * @param options the options
   * @return the cap; positive ({@link Long#MAX_VALUE}, the default, for none)
   */
  default long maxItems(O options) {
    return Long.MAX_VALUE;
  }

  /**
   * Returns how many workers each node runs for this job, given the node's configured number.
   * Override for I/O-bound pipelines whose concurrency is an option.
   *
   * @param options the options
   * @param configured {@code troupe.jobs.workers-per-node} of the node
   * @return workers per node; at least 1
   */
  default int workersPerNode(O options, int configured) {
    return configured;
  }

  /**
   * Starts what the pipeline needs on every node before any job runs, for example the sharded
   * entities its workers talk to ({@code ClusterSharding.get(system).init(...)}). Called once per
   * node, on every node that has the pipeline, while the node starts; it must not block.
   *
   * @param system the node's actor system
   */
  default void start(ActorSystem<?> system) {}

  /**
   * Returns the combiner of the pipeline's keyed state, if its workers keep state in the job's
   * {@link KeyedState} shards. Only {@link Combiner#zero}, {@link Combiner#merge} and {@link
   * Combiner#copy} are used. It must not depend on a job's options.
   *
   * @return the combiner, or empty if the pipeline keeps no keyed state (the default)
   */
  default Optional<Combiner<? extends TroupeMessage>> keyedState() {
    return Optional.empty();
  }

  /**
   * Returns a last step that runs once every item is completed or quarantined, before the job is
   * closed, on the node that coordinates the job; the partial it completes with is merged into the
   * result. A pipeline with keyed state gathers it here; one whose workers updated entities audits
   * them. The step may run again if the coordinator moves before closing the job, so it must only
   * read.
   *
   * @param job the job, its options and the coordinating node
   * @return the step's partial, or empty for no step (the default)
   */
  default Optional<CompletionStage<P>> finish(JobContext<O> job) {
    return Optional.empty();
  }
}
