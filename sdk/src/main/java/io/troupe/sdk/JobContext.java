package io.troupe.sdk;

import org.apache.pekko.actor.typed.ActorSystem;

/**
 * What a pipeline's workers and its finish step know about the job they work on, and the node they
 * run on.
 *
 * @param <O> the pipeline's options type
 */
public interface JobContext<O> {

  /** Returns the job's id. */
  String jobId();

  /** Returns the pipeline's name. */
  String pipeline();

  /** Returns the job's options, parsed on this node from the job's arguments. */
  O options();

  /** Returns this node's cluster address as {@code host:port}. */
  String node();

  /** Returns this node's actor system, for example to reach sharded entities. */
  ActorSystem<?> system();

  /** Returns the job's keyed state, for pipelines that declare {@link Pipeline#keyedState}. */
  KeyedState keyedState();

  /**
   * Returns where the job may read, write and connect on this node, for workers that open files or
   * connections beyond what {@link Pipeline#validate} checked (the links a crawler finds).
   */
  Confinement confinement();
}
