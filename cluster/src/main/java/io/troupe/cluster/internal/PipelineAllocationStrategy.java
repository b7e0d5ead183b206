package io.troupe.cluster.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.dispatch.Futures;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Places each shard of {@link PipelineShards} on a node that has the shard's pipeline (internal
 * API): a job's coordinator and keyed state run only where the pipeline's classes are, so a node
 * started without a plug-in never hosts that plug-in's jobs.
 *
 * <p>Implementation notes: runs in the shard coordinator (a cluster singleton) and reads the
 * members' roles ({@link PipelineRoles}) from its node's view of the cluster. Among the regions on
 * nodes with the pipeline it picks the one with the fewest shards (the requester on a tie, then the
 * lowest address, so the choice is deterministic). A shard whose pipeline no member has, or whose
 * pipeline is unknown, goes to the least loaded region of all: its entities then fail with the
 * pipeline's name, which is what the user must see. Shards are never rebalanced: moving a job's
 * coordinator pauses the job while it recovers from its ledger, and moving a shard that can only
 * live on some nodes would be undone by the next allocation, again and again.
 */
public final class PipelineAllocationStrategy
    extends ShardCoordinator.AbstractShardAllocationStrategy
    implements ShardCoordinator.ActorSystemDependentAllocationStrategy {

  private Cluster cluster;

  @Override
  public void start(ActorSystem system) {
    this.cluster = Cluster.get(system);
  }

  @Override
  public Future<ActorRef> allocateShard(
      ActorRef requester, String shardId, Map<ActorRef, IndexedSeq<String>> current) {
    Optional<String> pipeline = PipelineShards.pipelineOfShard(shardId);
    Map<ActorRef, Integer> eligible = new HashMap<>();
    if (pipeline.isPresent() && cluster != null) {
      String role = PipelineRoles.of(pipeline.get());
      Map<Address, Member> members = new HashMap<>();
      for (Member m : cluster.state().getMembers()) {
        members.put(m.address(), m);
      }
      current.forEach(
          (region, shards) -> {
            Member m = members.get(addressOf(region));
            if (m != null
                && m.hasRole(role)
                && (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp())) {
              eligible.put(region, shards.size());
            }
          });
    }
    if (eligible.isEmpty()) {
      current.forEach((region, shards) -> eligible.put(region, shards.size()));
    }
    if (eligible.isEmpty()) {
      return Futures.successful(requester);
    }
    List<ActorRef> regions = new ArrayList<>(eligible.keySet());
    regions.sort(
        Comparator.<ActorRef>comparingInt(eligible::get)
            .thenComparing(r -> !r.equals(requester))
            .thenComparing(r -> addressOf(r).toString()));
    return Futures.successful(regions.get(0));
  }

  @Override
  public Future<java.util.Set<String>> rebalance(
      Map<ActorRef, IndexedSeq<String>> current, Set<String> inProgress) {
    return Futures.successful(Set.of());
  }

  private Address addressOf(ActorRef region) {
    Address address = region.path().address();
    return address.hasGlobalScope() || cluster == null ? address : cluster.selfAddress();
  }
}
