package io.troupe.cluster.metrics;

import io.troupe.cluster.internal.JobSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.Patterns;

/**
 * The node's own gauges: cluster members by status, shards and entities this node hosts per entity
 * type, and the worker dispatcher's utilisation.
 *
 * <p>Implementation notes: members are read from the cluster's state at each scrape; shards and
 * entities are asked of this node's shard regions every sample interval (an answer that does not
 * come in time keeps the last figure); utilisation is the job workers' busy time in the interval
 * over the time the dispatcher's threads had.
 */
public final class NodeMetrics {

  private NodeMetrics() {}

  private enum Sample {
    INSTANCE
  }

  private enum RegionSilent {
    INSTANCE
  }

  private record RegionAnswer(String type, ShardRegion.CurrentShardRegionState state) {}

  private static final String[] STATUSES = {
    "joining", "weakly_up", "up", "leaving", "exiting", "down", "removed"
  };

  /**
   * Creates the sampler; spawn it once per node, with metrics on.
   *
   * @param metrics the node's metrics
   * @param jobs the job settings (worker dispatcher size)
   * @return the behavior
   */
  public static Behavior<Object> create(TroupeMetrics metrics, JobSettings jobs) {
    return Behaviors.<Object>setup(
            ctx -> {
              Cluster cluster = Cluster.get(ctx.getSystem());
              for (String status : STATUSES) {
                metrics.gauge(
                    "troupe.cluster.members",
                    "Members of the cluster by status, as this node sees them",
                    cluster,
                    c -> count(c, status),
                    "status",
                    status);
              }
              metrics.gauge(
                  "troupe.cluster.members.unreachable",
                  "Members this node cannot reach",
                  cluster,
                  c -> c.state().getUnreachable().size());
              int threads = jobs.workersPerNode();
              metrics.gauge(
                  "troupe.dispatcher.threads",
                  "Threads of the job workers' dispatcher",
                  threads,
                  t -> t,
                  "dispatcher",
                  JobSettings.WORKER_DISPATCHER);
              DoubleAdder utilisation = new DoubleAdder();
              metrics.gauge(
                  "troupe.dispatcher.utilization",
                  "Share of the job workers' dispatcher time spent processing items in the last"
                      + " sample interval (0 to 1)",
                  utilisation,
                  DoubleAdder::sum,
                  "dispatcher",
                  JobSettings.WORKER_DISPATCHER);
              Map<String, AtomicLong[]> regions = new HashMap<>();
              Duration interval = metrics.settings().sampleInterval();
              long[] last = {System.nanoTime(), metrics.workerBusyNanos()};
              return Behaviors.withTimers(
                  timers -> {
                    timers.startTimerWithFixedDelay(Sample.INSTANCE, interval, interval);
                    return Behaviors.receive(Object.class)
                        .onMessageEquals(
                            Sample.INSTANCE,
                            () -> {
                              long now = System.nanoTime();
                              long busy = metrics.workerBusyNanos();
                              double share =
                                  (busy - last[1]) / ((double) (now - last[0]) * threads);
                              utilisation.reset();
                              utilisation.add(Math.max(0, Math.min(1, share)));
                              last[0] = now;
                              last[1] = busy;
                              ClusterSharding sharding =
                                  ClusterSharding.get(Adapter.toClassic(ctx.getSystem()));
                              for (String type : sharding.getShardTypeNames()) {
                                ctx.pipeToSelf(
                                    Patterns.ask(
                                        sharding.shardRegion(type),
                                        ShardRegion.getShardRegionStateInstance(),
                                        interval),
                                    (answer, failure) ->
                                        answer instanceof ShardRegion.CurrentShardRegionState s
                                            ? new RegionAnswer(type, s)
                                            : RegionSilent.INSTANCE);
                              }
                              return Behaviors.same();
                            })
                        .onMessage(
                            RegionAnswer.class,
                            answer -> {
                              AtomicLong[] figures =
                                  regions.computeIfAbsent(answer.type(), t -> register(metrics, t));
                              long entities = 0;
                              for (ShardRegion.ShardState shard : answer.state().getShards()) {
                                entities += shard.getEntityIds().size();
                              }
                              figures[0].set(answer.state().getShards().size());
                              figures[1].set(entities);
                              return Behaviors.same();
                            })
                        .onMessageEquals(RegionSilent.INSTANCE, Behaviors::same)
                        .build();
                  });
            })
        .narrow();
  }

  private static AtomicLong[] register(TroupeMetrics metrics, String type) {
    AtomicLong[] figures = {new AtomicLong(), new AtomicLong()};
    metrics.gauge(
        "troupe.shards.hosted",
        "Shards of the entity type this node hosts (sampled)",
        figures[0],
        AtomicLong::get,
        "type",
        type);
    metrics.gauge(
        "troupe.entities.alive",
        "Entities of the type alive on this node (sampled)",
        figures[1],
        AtomicLong::get,
        "type",
        type);
    return figures;
  }

  private static double count(Cluster cluster, String status) {
    int n = 0;
    for (Member m : cluster.state().getMembers()) {
      if (name(m.status()).equals(status)) {
        n++;
      }
    }
    return n;
  }

  private static String name(MemberStatus status) {
    return status.toString().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
