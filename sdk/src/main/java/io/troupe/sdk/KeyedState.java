package io.troupe.sdk;

import java.util.concurrent.CompletionStage;

/**
 * A job's keyed state, spread over the cluster: shards of state, each a sharded, event-sourced
 * entity that merges the contributions sent to it with the pipeline's {@link Pipeline#keyedState}
 * combiner. Workers send each item's contributions (for example the counts of the words whose hash
 * falls into a shard) instead of returning them to the coordinator; the pipeline's {@link
 * Pipeline#finish} step reads the shards back. Reached through {@link JobContext#keyedState()}.
 *
 * <p>A contribution carries a deterministic id (the work item's id): one that a shard has already
 * merged is acknowledged and dropped, so a retried or re-delivered item counts once. A contribution
 * is acknowledged only once it is durable, so an item should be completed only after its
 * contributions were acknowledged.
 */
public interface KeyedState {

  /**
   * Returns the shard of a key: a stable hash of the key, modulo the number of shards, the same on
   * every node and in every run.
   *
   * @param key the key
   * @param shards the number of shards; positive
   * @return the shard, in {@code [0, shards)}
   */
  static int shardOf(String key, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be positive, was " + shards);
    }
    // String.hashCode is specified, so every node and every run agrees.
    return Math.floorMod(key.hashCode() * 0x9E3779B9, shards);
  }

  /**
   * Merges a contribution into one shard; completes once it is durable. Sending the same id again
   * is harmless.
   *
   * @param shard the shard, from 0
   * @param contributionId the contribution's deterministic id, e.g. the work item's id
   * @param part the contribution
   * @return completes when the shard has made it durable
   */
  CompletionStage<Void> add(int shard, String contributionId, TroupeMessage part);

  /**
   * Reads one shard's merged state.
   *
   * @param shard the shard, from 0
   * @param type the state's class
   * @param <S> the state's type
   * @return the merged state of that shard (the combiner's zero if nothing was added)
   */
  <S extends TroupeMessage> CompletionStage<S> read(int shard, Class<S> type);
}
