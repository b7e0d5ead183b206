package io.troupe.systemtest;

import static io.troupe.systemtest.JobsApi.LARGEST_PRIME_BELOW_10_10;
import static io.troupe.systemtest.JobsApi.PI_10_10;
import static io.troupe.systemtest.JobsApi.awaitCompleted;
import static io.troupe.systemtest.JobsApi.awaitStatus;
import static io.troupe.systemtest.JobsApi.done;
import static io.troupe.systemtest.JobsApi.items;
import static io.troupe.systemtest.JobsApi.submitLongPrimes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.persistence.testing.PostgresDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos suite: a three-node cluster of real processes on the PostgreSQL ledger, broken on
 * purpose while jobs run. Random trials SIGKILL a node chosen at random (it may host the job's
 * coordinator, a worker only, or be the node the job was submitted to) at a random point of the
 * job, then start it again; one trial pauses a node (SIGSTOP) until the cluster downs it (a rolling
 * restart with SIGTERM is {@code GracefulLeaveIT}'s). Every trial checks the exact result (which
 * also proves no item was counted twice) and that every item completed, and records how long the
 * job took to move again after the blow.
 *
 * <p>{@code -Dchaos.trials=N} random trials (CI runs 1), {@code -Dchaos.seed=S} to replay a failing
 * run: each trial prints its seed. Skipped without PostgreSQL, failed instead under {@code
 * TROUPE_REQUIRE_POSTGRES=1}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class ChaosIT {

  private final long seed = Long.getLong("chaos.seed", System.currentTimeMillis());
  private final int trials = Integer.getInteger("chaos.trials", 1);
  private final List<String> figures = new ArrayList<>();

  private PostgresDatabase db;
  private LocalCluster cluster;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    db = PostgresDatabase.createOrSkip();
    cluster = LocalCluster.up(dir, 3, Map.of("TROUPE_DB_URL", db.url()));
  }

  @AfterAll
  void stop() throws Exception {
    figures.forEach(System.out::println);
    try {
      if (cluster != null) {
        cluster.stop();
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  @Test
  @Order(1)
  void randomNodeKilledAtARandomMoment_theResultIsExact() throws Exception {
    List<Double> recoveries = new ArrayList<>();
    for (int trial = 1; trial <= trials; trial++) {
      long trialSeed = seed + trial;
      Random random = new Random(trialSeed);
      LocalCluster.Node entry = cluster.node(random.nextInt(3));
      LocalCluster.Node victim = cluster.node(random.nextInt(3));
      double at = 0.1 + 0.6 * random.nextDouble();
      String context = String.format(Locale.ROOT, "chaos trial %d (seed %d)", trial, trialSeed);

      String job = submitLongPrimes(entry);
      JsonNode seen =
          awaitStatus(
              entry.http + "/api/jobs/" + job,
              Duration.ofMinutes(2),
              s -> done(s) >= at * items(s));
      String role =
          victim.hostPort.equals(seen.path("coordinator").asText())
              ? "the coordinator's node"
              : victim == entry ? "the entry node" : "a worker node";
      long doneAtKill = done(seen);
      long killedAt = System.nanoTime();
      cluster.kill(victim);

      LocalCluster.Node survivor = survivor(victim);
      String statusUrl = survivor.http + "/api/jobs/" + job;
      awaitStatus(statusUrl, Duration.ofMinutes(2), s -> done(s) > doneAtKill);
      double resumed = (System.nanoTime() - killedAt) / 1e9;
      JsonNode finished = awaitCompleted(statusUrl, context);
      double completed = (System.nanoTime() - killedAt) / 1e9;
      assertExactPrimes(finished, context);
      recoveries.add(resumed);
      figures.add(
          String.format(
              Locale.ROOT,
              "%s: killed %s (%s) at %.0f%% of the items; progress again after %.1f s, completed"
                  + " %.1f s after the kill; %d item(s) re-dispatched, %d resumed from the ledger",
              context,
              victim.name,
              role,
              100.0 * doneAtKill / Math.max(1, items(seen)),
              resumed,
              completed,
              finished.path("report").path("itemsRedispatched").asLong(),
              finished.path("report").path("itemsResumed").asLong()));

      cluster.restart(victim);
      LocalCluster.awaitReady(victim, Duration.ofMinutes(2));
      cluster.awaitAllUp(Duration.ofMinutes(2));
    }
    recoveries.sort(Double::compare);
    figures.add(
        String.format(
            Locale.ROOT,
            "chaos: %d/%d trials exact; progress again after a kill: median %.1f s, worst %.1f s",
            recoveries.size(),
            trials,
            recoveries.get(recoveries.size() / 2),
            recoveries.get(recoveries.size() - 1)));
  }

  @Test
  @Order(2)
  void nodePausedUntilDowned_exitsWhenResumed_andTheResultIsExact() throws Exception {
    LocalCluster.Node entry = cluster.node(0);
    String job = submitLongPrimes(entry);
    JsonNode seen =
        awaitStatus(
            entry.http + "/api/jobs/" + job, Duration.ofMinutes(2), s -> done(s) * 4 >= items(s));
    LocalCluster.Node victim =
        cluster.nodes().stream()
            .filter(n -> n != entry && !n.hostPort.equals(seen.path("coordinator").asText()))
            .findFirst()
            .orElseThrow();
    long pausedAt = System.nanoTime();
    LocalCluster.signal(victim, "STOP");
    try {
      // Downed: the others list it no more.
      Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(() -> LocalCluster.members(entry, "Up") == 2 && !listed(entry, victim));
    } finally {
      LocalCluster.signal(victim, "CONT");
    }
    double downedAfter = (System.nanoTime() - pausedAt) / 1e9;
    // Woken up, it finds itself removed from the cluster and exits (code 1) for its supervisor.
    victim.process.onExit().get(2, TimeUnit.MINUTES);
    assertThat(victim.process.isAlive()).as("the paused node stopped once resumed").isFalse();
    JsonNode finished = awaitCompleted(entry.http + "/api/jobs/" + job, "pause trial");
    assertExactPrimes(finished, "pause trial");
    figures.add(
        String.format(
            Locale.ROOT,
            "pause: %s stopped (SIGSTOP) at a quarter of the job, downed after %.1f s, exited when"
                + " resumed; result exact",
            victim.name,
            downedAfter));

    cluster.restart(victim);
    LocalCluster.awaitReady(victim, Duration.ofMinutes(2));
    cluster.awaitAllUp(Duration.ofMinutes(2));
  }

  private LocalCluster.Node survivor(LocalCluster.Node victim) {
    return cluster.nodes().stream().filter(n -> n != victim).findFirst().orElseThrow();
  }

  private static boolean listed(LocalCluster.Node observer, LocalCluster.Node node)
      throws Exception {
    JsonNode members = LocalCluster.get(observer.http + "/cluster/members").body();
    for (JsonNode m : members.path("members")) {
      if (m.path("node").asText().endsWith("@" + node.hostPort)) {
        return true;
      }
    }
    return false;
  }

  private static void assertExactPrimes(JsonNode finished, String context) {
    assertThat(finished.path("result").path("count").asLong()).as(context).isEqualTo(PI_10_10);
    assertThat(finished.path("result").path("largest").asLong())
        .as(context)
        .isEqualTo(LARGEST_PRIME_BELOW_10_10);
    assertThat(finished.path("progress").path("completed").asLong())
        .as("%s: every item completed, none lost", context)
        .isEqualTo(items(finished));
    assertThat(finished.path("progress").path("quarantined").asLong()).as(context).isZero();
  }
}
