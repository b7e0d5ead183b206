package io.troupe.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.actors.Work;
import io.troupe.persistence.JobLogic;
import io.troupe.persistence.WorkItem;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;

/**
 * A pipeline: a kind of job Troupe can run. Implementations are found with {@link
 * java.util.ServiceLoader} (list the class in {@code
 * META-INF/services/io.troupe.cluster.Pipeline}), so a pipeline on the classpath appears in {@code
 * troupe list} and can be run and submitted by name.
 *
 * <p>A job is a run of a pipeline over a dynamic set of {@link WorkItem}s: {@link #plan} gives the
 * initial items, a worker actor ({@link #worker}) processes one item at a time and answers with a
 * partial result and optionally new items, and {@link #logic} combines the partials (associative
 * and commutative, so any order and any parallelism give the same result). {@link #sequential} is
 * the plain single-threaded reference: the correctness oracle and the speedup baseline.
 *
 * <p>Options are parsed on every node from the job's arguments, so {@link #parse} must be
 * deterministic and must not depend on state other than files all nodes see.
 *
 * @param <O> the pipeline's parsed options
 */
public interface Pipeline<O> {

  /** Returns the name users type: lowercase letters, digits and '-'. */
  String name();

  /** Returns a one-line description for {@code troupe list}. */
  String description();

  /** Returns the help text for the pipeline's options, one option per line. */
  String usage();

  /**
   * Parses and validates the pipeline's options.
   *
   * @param args the arguments after the pipeline name, without Troupe's own flags
   * @return the options
   * @throws PipelineUsageException if an option is unknown, malformed or points at nothing
   */
  O parse(List<String> args);

  /**
   * Makes the job's inputs ready, for example by generating a default input that is missing. Runs
   * before {@link #plan} (on a thread that may block) and before a sequential run is timed, so that
   * neither pays for it. Must be idempotent and safe when several processes call it at once.
   *
   * @param options the parsed options
   * @throws Exception if the inputs cannot be made ready
   */
  default void prepare(O options) throws Exception {}

  /**
   * Produces the job's initial items. Runs once per job on a thread that may block.
   *
   * @param options the parsed options
   * @return items with distinct, deterministic ids
   * @throws Exception if the items cannot be produced (the job fails with the message)
   */
  List<WorkItem> plan(O options) throws Exception;

  /**
   * Returns the behavior of one worker. It receives one {@link WorkItem} at a time and answers
   * through {@link Work#reply} with an {@link ItemResult}; an exception fails the item, which is
   * retried and finally quarantined. Workers run on a dispatcher sized to the node's worker count,
   * so a worker may compute for a while, but must not block on I/O for long.
   *
   * @param options the parsed options
   * @return the worker behavior
   */
  Behavior<Work<WorkItem, ItemResult>> worker(O options);

  /**
   * Returns the behavior of one worker of a given job. Override this instead of {@link
   * #worker(Object)} when workers need the job's id, for example to address its keyed reducers.
   *
   * @param options the parsed options
   * @param job the job's id
   * @return the worker behavior
   */
  default Behavior<Work<WorkItem, ItemResult>> worker(O options, String job) {
    return worker(options);
  }

  /**
   * Returns how partial results combine into the job's result.
   *
   * @param options the parsed options
   * @return the job logic
   */
  JobLogic logic(O options);

  /**
   * Computes the result with plain single-threaded Java, no actors. It must equal the result of a
   * job with the same options.
   *
   * @param options the parsed options
   * @return the result, shaped like {@link JobLogic#result}
   * @throws Exception if it cannot be computed
   */
  JsonNode sequential(O options) throws Exception;

  /**
   * Returns the merge logic of this pipeline's keyed state, if its workers keep state in {@link
   * KeyedReducer}s (through {@link Reducers}). Only {@code zero}, {@code merge} and {@code copy}
   * are used. It must not depend on a job's options.
   *
   * @return the logic, or empty if the pipeline keeps no keyed state
   */
  default java.util.Optional<JobLogic> reducer() {
    return java.util.Optional.empty();
  }

  /**
   * Returns a step the coordinator runs once every item is completed or quarantined, before the job
   * is closed; the partial it produces is merged into the accumulator for the result. A pipeline
   * with keyed state gathers it here. The step may be run again if the coordinator moves before
   * closing the job, so it must only read.
   *
   * @param options the parsed options
   * @return the step, or empty for none
   */
  default java.util.Optional<Finisher> finisher(O options) {
    return java.util.Optional.empty();
  }

  /** A pipeline's last step before its job is closed; see {@link Pipeline#finisher}. */
  @FunctionalInterface
  interface Finisher {
    /**
     * Produces a last partial result.
     *
     * @param system the coordinator's actor system
     * @param job the job's id
     * @return the partial, merged into the accumulator for the result
     */
    java.util.concurrent.CompletionStage<io.troupe.actors.TroupeMessage> finish(
        org.apache.pekko.actor.typed.ActorSystem<?> system, String job);
  }

  /**
   * Returns how many items {@link #plan} would return for these options, at most, if the options
   * alone tell; Troupe refuses a job whose plan would exceed {@code troupe.jobs.max-items} before
   * planning it, so that a mistyped option cannot fill a coordinator's heap. A pipeline whose plan
   * depends on its inputs returns -1, the default; its plan is counted once made.
   *
   * @param options the parsed options
   * @return an upper bound of the planned items, or -1 if unknown
   */
  default long planSize(O options) {
    return -1;
  }

  /**
   * Returns the most items a job may have, counting its planned items and every item its workers
   * discover; once it has that many, further discovered items are dropped. A crawler bounds its
   * pages this way. Which items are dropped depends on timing, so a job that reaches the cap is not
   * reproducible.
   *
   * @param options the parsed options
   * @return the cap; positive ({@link Long#MAX_VALUE}, the default, for none)
   */
  default long maxItems(O options) {
    return Long.MAX_VALUE;
  }

  /**
   * Starts what the pipeline needs on every node before any job runs, for example the sharded
   * entities its workers talk to. Called once per node, on every node, while the node starts; it
   * must not block. A pipeline without such actors does nothing.
   *
   * @param system the node's actor system
   */
  default void start(org.apache.pekko.actor.typed.ActorSystem<?> system) {}

  /**
   * Returns how many workers each node runs for this job, given the node's configured number.
   * Override for I/O-bound pipelines whose concurrency is an option.
   *
   * @param options the parsed options
   * @param configured {@code troupe.jobs.workers-per-node} of the node
   * @return workers per node; at least 1
   */
  default int workersPerNode(O options, int configured) {
    return configured;
  }
}
