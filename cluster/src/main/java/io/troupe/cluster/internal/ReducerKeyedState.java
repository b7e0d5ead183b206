package io.troupe.cluster.internal;

import io.troupe.sdk.KeyedState;
import io.troupe.sdk.TroupeMessage;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * One job's keyed state on the cluster's reducer entities (internal API).
 *
 * <p>Implementation notes: the client of the entities is made on first use, so a job whose pipeline
 * keeps no keyed state never touches cluster sharding for it; such a pipeline's calls fail at once,
 * with the reason, instead of waiting for an entity that cannot merge.
 */
public final class ReducerKeyedState implements KeyedState {

  private final ActorSystem<?> system;
  private final String pipeline;
  private final String job;
  private final boolean declared;
  private final Duration timeout;
  private Reducers reducers;

  /**
   * Creates the keyed state of a job.
   *
   * @param system this node's actor system
   * @param pipeline the pipeline's name, whose keyed-state combiner merges
   * @param job the job's id
   * @param declared whether the pipeline declares a keyed-state combiner
   * @param timeout how long a call waits for a shard's answer
   */
  public ReducerKeyedState(
      ActorSystem<?> system, String pipeline, String job, boolean declared, Duration timeout) {
    this.system = system;
    this.pipeline = pipeline;
    this.job = job;
    this.declared = declared;
    this.timeout = timeout;
  }

  private synchronized Reducers reducers() {
    if (reducers == null) {
      reducers = new Reducers(system, timeout);
    }
    return reducers;
  }

  private <T> CompletionStage<T> undeclared() {
    return CompletableFuture.failedFuture(
        new IllegalStateException(
            "pipeline " + pipeline + " uses keyed state but declares no keyedState() combiner"));
  }

  @Override
  public CompletionStage<Void> add(int shard, String contributionId, TroupeMessage part) {
    if (!declared) {
      return undeclared();
    }
    return reducers().add(pipeline, job, shard, contributionId, part).thenApply(done -> null);
  }

  @Override
  public <S extends TroupeMessage> CompletionStage<S> read(int shard, Class<S> type) {
    if (!declared) {
      return undeclared();
    }
    return reducers()
        .get(pipeline, job, shard)
        .thenApply(
            merged -> {
              if (!type.isInstance(merged.state())) {
                throw new IllegalStateException(
                    "keyed state of "
                        + pipeline
                        + " is a "
                        + merged.state().getClass().getName()
                        + ", not a "
                        + type.getName());
              }
              return type.cast(merged.state());
            });
  }

  @Override
  public String toString() {
    return "keyed state of job " + job;
  }
}
