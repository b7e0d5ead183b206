package io.troupe.cluster.internal;

import io.troupe.sdk.Confinement;
import io.troupe.sdk.JobContext;
import io.troupe.sdk.KeyedState;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A job as a pipeline's workers and finish step see it on one node (internal API).
 *
 * @param jobId the job's id
 * @param pipeline the pipeline's name
 * @param options the options parsed on this node
 * @param node this node as host:port
 * @param system this node's actor system
 * @param keyedState the job's keyed state
 * @param confinement where the job may read, write and connect on this node
 * @param <O> the options type
 */
public record NodeJobContext<O>(
    String jobId,
    String pipeline,
    O options,
    String node,
    ActorSystem<?> system,
    KeyedState keyedState,
    Confinement confinement)
    implements JobContext<O> {

  /** Rejects nulls. */
  public NodeJobContext {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(keyedState, "keyedState");
    Objects.requireNonNull(confinement, "confinement");
  }

  @Override
  public String toString() {
    return "job " + jobId + " (" + pipeline + ") on " + node;
  }
}
