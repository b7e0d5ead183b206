package io.troupe.cluster.http;

import io.troupe.cluster.internal.JobCoordinator;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.pattern.Patterns;

/**
 * Readiness check for pekko-management's {@code /ready}: the node's job shard region can reach the
 * shard coordinator, so a job submitted here can be started. Together with the membership check
 * (the node is Up) it makes {@code /ready} answer 200 only when the node can take work.
 */
public final class ShardingReadyCheck implements Supplier<CompletionStage<Boolean>> {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final ActorSystem system;

  /**
   * Created by pekko-management through reflection.
   *
   * @param system the node's actor system
   */
  public ShardingReadyCheck(ActorSystem system) {
    this.system = system;
  }

  @Override
  public CompletionStage<Boolean> get() {
    ActorRef region = ClusterSharding.get(system).shardRegion(JobCoordinator.TYPE_KEY.name());
    // The region asks the coordinator; an answer means the coordinator exists and is reachable.
    return Patterns.ask(region, ShardRegion.getCurrentRegionsInstance(), TIMEOUT)
        .handle((answer, error) -> error == null && answer instanceof ShardRegion.CurrentRegions);
  }
}
