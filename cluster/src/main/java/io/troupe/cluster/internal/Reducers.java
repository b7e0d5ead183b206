package io.troupe.cluster.internal;

import io.troupe.sdk.TroupeMessage;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Sends contributions to a job's keyed reducers ({@link KeyedReducer}) and reads them back; what a
 * pipeline's workers and finisher use for keyed state that lives across the cluster.
 */
public final class Reducers {

  private final ClusterSharding sharding;
  private final Duration timeout;

  /**
   * Creates a client.
   *
   * @param system a node's actor system
   * @param timeout how long to wait for a reducer's answer
   */
  public Reducers(ActorSystem<?> system, Duration timeout) {
    this.sharding = ClusterSharding.get(system);
    this.timeout = timeout;
  }

  /**
   * Merges a contribution into one shard of a job's keyed state; completes once it is durable.
   * Sending the same id again is harmless.
   *
   * @param pipeline the pipeline's name (its {@link io.troupe.sdk.Pipeline#keyedState()} merges)
   * @param job the job's id
   * @param shard the shard
   * @param id the contribution's deterministic id, e.g. the work item's id
   * @param part the contribution
   * @return completes when the reducer acknowledged
   */
  public CompletionStage<Done> add(
      String pipeline, String job, int shard, String id, TroupeMessage part) {
    return sharding
        .entityRefFor(KeyedReducer.TYPE_KEY, KeyedReducer.entityId(pipeline, job, shard))
        .askWithStatus(replyTo -> new KeyedReducer.Add(id, part, replyTo), timeout);
  }

  /**
   * Reads one shard of a job's keyed state.
   *
   * @param pipeline the pipeline's name
   * @param job the job's id
   * @param shard the shard
   * @return the merged state of that shard
   */
  public CompletionStage<KeyedReducer.Merged> get(String pipeline, String job, int shard) {
    return sharding
        .entityRefFor(KeyedReducer.TYPE_KEY, KeyedReducer.entityId(pipeline, job, shard))
        .askWithStatus(KeyedReducer.Get::new, timeout);
  }
}
