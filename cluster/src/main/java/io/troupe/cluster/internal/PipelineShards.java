package io.troupe.cluster.internal;

import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;

/**
 * Shard ids that name the pipeline of their entities: {@code pipeline/n} (internal API). Entities
 * of one pipeline share shards with no other pipeline's, so {@link PipelineAllocationStrategy} can
 * place each shard on a node that has the pipeline. Entities whose pipeline cannot be told (a job
 * id not made by {@code JobIds.next}) go to shards {@code ANY + "/" + n}, which any node may host.
 *
 * @param <M> the entity's message type
 */
public final class PipelineShards<M> extends ShardingMessageExtractor<ShardingEnvelope<M>, M> {

  /** The pipeline part of shards whose entities' pipeline is unknown. */
  public static final String ANY = "*";

  private final int shardsPerPipeline;
  private final Function<String, Optional<String>> pipelineOf;

  /**
   * Creates the extractor of one entity type.
   *
   * @param shardsPerPipeline shards per pipeline; positive
   * @param pipelineOf tells an entity's pipeline from its id
   */
  public PipelineShards(int shardsPerPipeline, Function<String, Optional<String>> pipelineOf) {
    if (shardsPerPipeline < 1) {
      throw new IllegalArgumentException("shards must be positive, was " + shardsPerPipeline);
    }
    this.shardsPerPipeline = shardsPerPipeline;
    this.pipelineOf = pipelineOf;
  }

  /**
   * Returns the pipeline a shard's entities belong to.
   *
   * @param shardId a shard id made by this extractor
   * @return the pipeline, or empty for a shard of entities whose pipeline is unknown
   */
  public static Optional<String> pipelineOfShard(String shardId) {
    int slash = shardId.lastIndexOf('/');
    if (slash <= 0) {
      return Optional.empty();
    }
    String pipeline = shardId.substring(0, slash);
    return pipeline.equals(ANY) ? Optional.empty() : Optional.of(pipeline);
  }

  @Override
  public String entityId(ShardingEnvelope<M> envelope) {
    return envelope.entityId();
  }

  @Override
  public String shardId(String entityId) {
    return pipelineOf.apply(entityId).orElse(ANY)
        + "/"
        + Math.floorMod(entityId.hashCode(), shardsPerPipeline);
  }

  @Override
  public M unwrapMessage(ShardingEnvelope<M> envelope) {
    return envelope.message();
  }
}
