package io.troupe.cluster.internal;

import io.troupe.actors.Work;
import io.troupe.sdk.WorkItem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.slf4j.MDC;

/**
 * Puts the job, pipeline, item and stage in the SLF4J MDC while a job's worker handles an item, and
 * takes them out after (internal API).
 *
 * <p>Implementation notes: Pekko's {@code Behaviors.withMdc} does the same but builds and converts
 * maps for every message, which cost a job of microsecond items about 5% of its time; this sets the
 * thread's MDC to the four keys in one step and clears it after, as Pekko does after every message
 * of an actor that logged. One instance per worker; only the worker's thread touches it.
 */
final class WorkerMdc
    extends BehaviorInterceptor<Work<WorkItem<?>, ItemResult>, Work<WorkItem<?>, ItemResult>> {

  /** MDC key of the job's id on every line a worker logs. */
  static final String MDC_JOB = "troupeJob";

  /** MDC key of the pipeline's name on every line a worker logs. */
  static final String MDC_PIPELINE = "troupePipeline";

  /** MDC key of the item's id on every line a worker logs while it processes the item. */
  static final String MDC_ITEM = "troupeItem";

  /** MDC key of the item's stage on every line a worker logs while it processes the item. */
  static final String MDC_STAGE = "troupeStage";

  private final String job;
  private final String pipeline;

  @SuppressWarnings("unchecked") // class literal of a generic record
  private WorkerMdc(String job, String pipeline) {
    super((Class<Work<WorkItem<?>, ItemResult>>) (Class<?>) Work.class);
    this.job = job;
    this.pipeline = pipeline;
  }

  /**
   * Wraps a job's worker so that every line it logs says what it worked on.
   *
   * @param worker the worker
   * @param job the job's id
   * @param pipeline the pipeline's name
   * @return the wrapped worker
   */
  static Behavior<Work<WorkItem<?>, ItemResult>> wrap(
      Behavior<Work<WorkItem<?>, ItemResult>> worker, String job, String pipeline) {
    return org.apache.pekko.actor.typed.javadsl.Behaviors.intercept(
        () -> new WorkerMdc(job, pipeline), worker);
  }

  @Override
  public Behavior<Work<WorkItem<?>, ItemResult>> aroundReceive(
      TypedActorContext<Work<WorkItem<?>, ItemResult>> ctx,
      Work<WorkItem<?>, ItemResult> work,
      ReceiveTarget<Work<WorkItem<?>, ItemResult>> target) {
    java.util.HashMap<String, String> mdc = new java.util.HashMap<>(8);
    mdc.put(MDC_JOB, job);
    mdc.put(MDC_PIPELINE, pipeline);
    mdc.put(MDC_ITEM, work.item().id());
    mdc.put(MDC_STAGE, work.item().stage());
    // One thread-local write in and one out: each MDC.put or remove is two.
    MDC.setContextMap(mdc);
    try {
      return target.apply(ctx, work);
    } finally {
      MDC.clear();
    }
  }
}
