package io.troupe.systemtest;

import static io.troupe.systemtest.JobsApi.LARGEST_PRIME_BELOW_10_10;
import static io.troupe.systemtest.JobsApi.PI_10_10;
import static io.troupe.systemtest.JobsApi.awaitCompleted;
import static io.troupe.systemtest.JobsApi.awaitStatus;
import static io.troupe.systemtest.JobsApi.done;
import static io.troupe.systemtest.JobsApi.items;
import static io.troupe.systemtest.JobsApi.submit;
import static io.troupe.systemtest.JobsApi.submitLongPrimes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.persistence.testing.PostgresDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful leave: a node stopped with SIGTERM in the middle of a job (three node processes on the
 * PostgreSQL ledger) hands its work over instead of dropping it. Its hosts give back the items they
 * had not started and finish the ones under way; a job coordinator it ran waits for the answers on
 * their way, writes every outcome to the ledger and only then hands the job to another node. So
 * nothing is done twice: the report's re-dispatched and redone counts stay at zero. Each case
 * measures the longest pause in the job's progress, as a client polling a survivor sees it.
 *
 * <p>{@code -Dleave.trials=N} repeats each case (CI runs 1); {@code -Dleave.rolling=true} adds a
 * rolling restart of all three nodes during a job (not in CI: about 80 s).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class GracefulLeaveIT {

  private final int trials = Integer.getInteger("leave.trials", 1);
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
  void sigtermOfAWorkerNode_redoesNothing() throws Exception {
    for (int trial = 1; trial <= trials; trial++) {
      leave(false, "worker node, trial " + trial);
    }
  }

  @Test
  @Order(2)
  void sigtermOfTheCoordinatorsNode_redoesNothing() throws Exception {
    for (int trial = 1; trial <= trials; trial++) {
      leave(true, "coordinator's node, trial " + trial);
    }
  }

  @Test
  @Order(3)
  void rollingRestartOfAllThreeNodes_duringAJob_redoesNothing() throws Exception {
    // About 80 s: run on demand (the two cases above leave the same way, each node's kind once).
    assumeTrue(
        Boolean.getBoolean("leave.rolling"), "a rolling restart runs with -Dleave.rolling=true");
    // Sleeping items keep the job going through three restarts without loading the CPU.
    int n = 4000;
    String job = submit(cluster.node(0), "faulty", "--n", Integer.toString(n), "--sleep-ms", "100");
    long started = System.nanoTime();
    for (LocalCluster.Node node : cluster.nodes()) {
      LocalCluster.Node other = survivor(node);
      JsonNode before =
          awaitStatus(other.http + "/api/jobs/" + job, Duration.ofMinutes(2), s -> done(s) > 0);
      assertThat(before.path("status").asText())
          .as("the job still runs when %s stops", node.name)
          .isEqualTo("running");
      cluster.terminate(node);
      cluster.restart(node);
      LocalCluster.awaitReady(node, Duration.ofMinutes(2));
      cluster.awaitAllUp(Duration.ofMinutes(2));
    }
    JsonNode finished =
        awaitCompleted(cluster.node(1).http + "/api/jobs/" + job, "rolling restart");
    assertThat(finished.path("result").path("sum").asLong()).isEqualTo((long) n * (n + 1) / 2);
    assertThat(finished.path("progress").path("completed").asLong()).isEqualTo(n);
    JsonNode report = finished.path("report");
    figures.add(
        String.format(
            Locale.ROOT,
            "rolling restart: all three nodes stopped with SIGTERM and restarted in turn during a"
                + " job of %d items; result exact; %.1f s in all; %d re-dispatched, %d redone, %d"
                + " retried, %d resumed from the ledger",
            n,
            (System.nanoTime() - started) / 1e9,
            report.path("itemsRedispatched").asLong(),
            report.path("itemsRedone").asLong(),
            report.path("itemsRetried").asLong(),
            report.path("itemsResumed").asLong()));
    assertNothingRedone(report, "rolling restart");
  }

  /**
   * Submits primes to 10^10 to a node, SIGTERMs another (the coordinator's node, or a worker that
   * is not the coordinator's) a quarter into the job, and checks the result and the report.
   */
  private void leave(boolean coordinators, String context) throws Exception {
    LocalCluster.Node entry = cluster.node(0);
    String job = submitLongPrimes(entry);
    JsonNode seen =
        awaitStatus(
            entry.http + "/api/jobs/" + job, Duration.ofMinutes(2), s -> done(s) * 4 >= items(s));
    String coordinator = seen.path("coordinator").asText();
    LocalCluster.Node victim;
    if (coordinators) {
      victim = cluster.byHostPort(coordinator);
    } else {
      victim =
          cluster.nodes().stream()
              .filter(n -> n != entry && !n.hostPort.equals(coordinator))
              .findFirst()
              .orElseThrow();
    }
    String statusUrl = survivor(victim).http + "/api/jobs/" + job;
    Progress progress = Progress.watch(statusUrl);
    long doneAtStop = done(seen);
    long stoppedAt = System.nanoTime();
    cluster.terminate(victim);
    try {
      checkLeave(job, statusUrl, seen, victim, progress, doneAtStop, stoppedAt, context);
    } finally {
      // Whatever the checks found, the next case starts with three nodes.
      cluster.restart(victim);
      LocalCluster.awaitReady(victim, Duration.ofMinutes(2));
      cluster.awaitAllUp(Duration.ofMinutes(2));
    }
  }

  private void checkLeave(
      String job,
      String statusUrl,
      JsonNode seen,
      LocalCluster.Node victim,
      Progress progress,
      long doneAtStop,
      long stoppedAt,
      String context)
      throws Exception {
    double leaveSeconds = (System.nanoTime() - stoppedAt) / 1e9;
    JsonNode finished = awaitCompleted(statusUrl, context);
    double longestPause = progress.stop(stoppedAt);
    assertThat(finished.path("result").path("count").asLong()).as(context).isEqualTo(PI_10_10);
    assertThat(finished.path("result").path("largest").asLong())
        .as(context)
        .isEqualTo(LARGEST_PRIME_BELOW_10_10);
    assertThat(done(finished)).as(context).isEqualTo(items(finished));
    JsonNode report = finished.path("report");
    figures.add(
        String.format(
            Locale.ROOT,
            "graceful leave, %s: SIGTERM at %.0f%% (%s); the process exited %.1f s later; longest"
                + " pause in progress after it %.2f s; %d re-dispatched, %d redone, %d retried, %d"
                + " resumed from the ledger; coordinator now %s",
            context,
            100.0 * doneAtStop / Math.max(1, items(seen)),
            victim.name,
            leaveSeconds,
            longestPause,
            report.path("itemsRedispatched").asLong(),
            report.path("itemsRedone").asLong(),
            report.path("itemsRetried").asLong(),
            report.path("itemsResumed").asLong(),
            finished.path("coordinator").asText()));
    assertNothingRedone(report, context);
  }

  private static void assertNothingRedone(JsonNode report, String context) {
    assertThat(report.path("itemsRedispatched").asLong())
        .as("%s: no item handed out again because its node left: %s", context, report)
        .isZero();
    assertThat(report.path("itemsRedone").asLong())
        .as("%s: no item processed again after the coordinator moved: %s", context, report)
        .isZero();
  }

  private LocalCluster.Node survivor(LocalCluster.Node victim) {
    return cluster.nodes().stream().filter(n -> n != victim).findFirst().orElseThrow();
  }

  /** Polls a job's completed count every 50 ms and keeps when it last went up. */
  private static final class Progress {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private final List<long[]> increases = new ArrayList<>();

    private Progress(String statusUrl) {
      this.thread =
          new Thread(
              () -> {
                long last = -1;
                while (!stop.get()) {
                  try {
                    JsonNode s = LocalCluster.get(statusUrl, Duration.ofSeconds(30)).body();
                    long now = System.nanoTime();
                    if (s != null && done(s) > last) {
                      last = done(s);
                      synchronized (increases) {
                        increases.add(new long[] {now, last});
                      }
                    }
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    // Not answering for a moment: the gap shows in the pause.
                  }
                }
              },
              "progress");
      thread.setDaemon(true);
    }

    static Progress watch(String statusUrl) {
      Progress p = new Progress(statusUrl);
      p.thread.start();
      return p;
    }

    /** Stops polling; returns the longest gap between increases after {@code fromNanos}, in s. */
    double stop(long fromNanos) throws InterruptedException {
      stop.set(true);
      thread.join(60_000);
      long previous = fromNanos;
      long longest = 0;
      synchronized (increases) {
        for (long[] increase : increases) {
          if (increase[0] >= fromNanos) {
            longest = Math.max(longest, increase[0] - previous);
            previous = increase[0];
          }
        }
      }
      return longest / 1e9;
    }
  }
}
