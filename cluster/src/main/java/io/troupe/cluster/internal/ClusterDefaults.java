package io.troupe.cluster.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Locale;

/**
 * Pekko keys every Troupe node needs, derived from Troupe's settings and layered below the
 * application config (so an operator's file can still override each of them).
 */
public final class ClusterDefaults {

  private ClusterDefaults() {}

  /**
   * Returns the cluster keys for a node configured by {@code userView}.
   *
   * @param userView a resolved config with {@code troupe.jobs}
   * @return the keys to layer below the application config
   */
  public static Config layer(Config userView) {
    JobSettings jobs = JobSettings.create(userView);
    String hocon =
        String.format(
            Locale.ROOT,
            """
            pekko {
              # Messages in flight when a node stops are expected; the ledger makes them harmless.
              log-dead-letters-during-shutdown = off
              actor.provider = cluster
              remote.artery {
                canonical.hostname = "127.0.0.1"
                canonical.port = 0
                # Partial results (a word-count table of a 4 MB chunk) exceed the 256 KiB default.
                advanced.maximum-frame-size = 8 MiB
              }
              cluster {
                downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
                jmx.multi-mbeans-in-same-jvm = on
              }
              # A graceful leave: the job hosts finish what is under way (troupe.jobs.leave-timeout),
              # then the coordinators hand their jobs over (troupe.jobs.hand-over-timeout).
              coordinated-shutdown.phases {
                before-cluster-shutdown.timeout = %2$d ms
                cluster-sharding-shutdown-region.timeout = %3$d ms
              }
              # Sharding stops an entity that has not stopped 5 s before this; leave the hand-over
              # its time.
              cluster.sharding.handoff-timeout = %4$d ms
              management {
                # Troupe serves its node endpoint here; loopback unless configured.
                http.hostname = "127.0.0.1"
                http.port = 8558
                # Ready means Up in the cluster and able to reach the job shard coordinator.
                health-checks.readiness-checks.troupe-sharding = "io.troupe.cluster.http.ShardingReadyCheck"
              }
            }
            troupe.jobs.worker-dispatcher {
              type = "Dispatcher"
              executor = "fork-join-executor"
              fork-join-executor {
                parallelism-min = %1$d
                parallelism-factor = 1.0
                parallelism-max = %1$d
              }
              # An item is a unit of work of its own; hand the thread on after each.
              throughput = 1
            }
            """,
            jobs.workersPerNode(),
            jobs.leaveTimeout().toMillis() + 5_000,
            jobs.handOverTimeout().toMillis() + 10_000,
            Math.max(60_000, jobs.handOverTimeout().toMillis() + 15_000));
    return ConfigFactory.parseString(hocon);
  }
}
