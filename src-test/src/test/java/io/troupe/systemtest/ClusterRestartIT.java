package io.troupe.systemtest;

import static io.troupe.systemtest.JobsApi.LARGEST_PRIME_BELOW_10_10;
import static io.troupe.systemtest.JobsApi.PI_10_10;
import static io.troupe.systemtest.JobsApi.awaitStatus;
import static io.troupe.systemtest.JobsApi.done;
import static io.troupe.systemtest.JobsApi.items;
import static io.troupe.systemtest.JobsApi.submit;
import static io.troupe.systemtest.JobsApi.submitLongPrimes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.persistence.testing.PostgresDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * The loss of every node at once: three node processes of {@code troupe cluster up} on PostgreSQL
 * are SIGKILLed together while a long job runs, then started again. The job completes with the
 * exact result with no command typed and no request naming it until it has completed (the test only
 * polls the registry's listing), and {@code troupe status} lists every job from before. Each trial
 * takes about a minute: {@code -Dcluster.restart.trials=N} runs N of them (CI runs one). Skipped
 * without a PostgreSQL server, failed instead under {@code TROUPE_REQUIRE_POSTGRES=1}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class ClusterRestartIT {

  /** The shipped {@code troupe.http.max-running-jobs}. */
  private static final int MAX_RUNNING_JOBS = 32;

  private static final int TRIALS = Integer.getInteger("cluster.restart.trials", 1);

  private Path dir;
  private PostgresDatabase db;
  private LocalCluster cluster;
  private Map<String, String> env;

  @BeforeAll
  void startCluster(@TempDir Path tmp) throws Exception {
    dir = tmp;
    db = PostgresDatabase.createOrSkip();
    env = LocalCluster.withToken(Map.of("TROUPE_DB_URL", db.url()));
    cluster = LocalCluster.up(dir, 3, env);
  }

  @AfterAll
  void stopCluster() throws Exception {
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
  void burstOf48SpreadOverThreeNodes_admitsExactlyMaxRunningJobs() throws Exception {
    java.util.concurrent.ExecutorService clients =
        java.util.concurrent.Executors.newFixedThreadPool(12);
    List<java.util.concurrent.Future<LocalCluster.Answer>> sent = new ArrayList<>();
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    String body =
        "{\"pipeline\":\"primes\",\"args\":[\"--limit\",\"10000000000\",\"--segment\",\"4000000\"]}";
    try {
      for (int i = 0; i < 48; i++) {
        LocalCluster.Node node = cluster.node(i % 3);
        sent.add(
            clients.submit(
                () -> {
                  go.await();
                  return LocalCluster.post(node.http + "/api/jobs", body);
                }));
      }
      go.countDown();
      List<String> admitted = new ArrayList<>();
      int refused = 0;
      for (java.util.concurrent.Future<LocalCluster.Answer> f : sent) {
        LocalCluster.Answer a = f.get(2, java.util.concurrent.TimeUnit.MINUTES);
        if (a.status() == 202) {
          admitted.add(a.body().path("job").asText());
        } else {
          assertThat(a.status()).as("%s", a.body()).isEqualTo(429);
          assertThat(a.body().path("error").asText()).contains("troupe.http.max-running-jobs");
          refused++;
        }
      }
      System.out.printf("admission: %d admitted, %d refused with 429%n", admitted.size(), refused);
      assertThat(admitted).hasSize(MAX_RUNNING_JOBS);
      LocalCluster.Answer unfinished =
          LocalCluster.get(cluster.node(2).http + "/api/jobs?state=starting,running&limit=500");
      assertThat(unfinished.body().path("total").asLong()).isEqualTo(MAX_RUNNING_JOBS);

      // Canceling them frees the places: the next submission is admitted again.
      for (String job : admitted) {
        assertThat(cancel(cluster.node(0).http + "/api/jobs/" + job).path("status").asText())
            .isEqualTo("canceled");
      }
      awaitListedTotal("starting,running", 0);
    } finally {
      clients.shutdownNow();
    }
  }

  /**
   * Cancels a job as a client should: a 503 (its coordinator did not confirm in time, as while
   * dozens of jobs plan at once on two cores) is sent again. Returns the status, or the error of a
   * 409 for a job that was over already.
   */
  private static JsonNode cancel(String jobUrl) {
    return Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              LocalCluster.Answer a = LocalCluster.delete(jobUrl, true);
              assertThat(a.status()).as("%s", a.body()).isIn(200, 409, 503);
              return a.status() == 503 ? null : a.body();
            },
            java.util.Objects::nonNull);
  }

  /** Polls the registry until it lists {@code total} jobs in the given states. */
  private void awaitListedTotal(String states, long total) {
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () ->
                LocalCluster.get(cluster.node(0).http + "/api/jobs?state=" + states)
                    .body()
                    .path("total")
                    .asLong(),
            n -> n == total);
  }

  @Test
  @Order(2)
  void prioritiesThreeAndOne_shareTheWorkersThreeToOne_whileBothRun() throws Exception {
    String body =
        "{\"pipeline\":\"primes\",\"args\":[\"--limit\",\"10000000000\",\"--segment\",\"4000000\"],\"priority\":%d}";
    LocalCluster.Answer lowAnswer =
        LocalCluster.post(cluster.node(0).http + "/api/jobs", String.format(body, 1));
    assertThat(lowAnswer.status()).as("%s", lowAnswer.body()).isEqualTo(202);
    String low = lowAnswer.body().path("job").asText();
    String lowUrl = cluster.node(0).http + "/api/jobs/" + low;
    awaitStatus(lowUrl, Duration.ofMinutes(2), s -> done(s) >= 50);

    // A job of priority 3 submitted while the big one of priority 1 runs.
    long submitted = System.nanoTime();
    LocalCluster.Answer highAnswer =
        LocalCluster.post(cluster.node(1).http + "/api/jobs", String.format(body, 3));
    assertThat(highAnswer.status()).as("%s", highAnswer.body()).isEqualTo(202);
    String highUrl = cluster.node(1).http + "/api/jobs/" + highAnswer.body().path("job").asText();
    awaitStatus(highUrl, Duration.ofMinutes(2), s -> done(s) > 0);
    double firstItemSeconds = (System.nanoTime() - submitted) / 1e9;

    // Count from a moment both run until the first of them is four fifths done.
    JsonNode high1 = awaitStatus(highUrl, Duration.ofMinutes(2), s -> done(s) >= 100);
    JsonNode low1 = LocalCluster.get(lowUrl).body();
    JsonNode high2 = awaitStatus(highUrl, Duration.ofMinutes(5), s -> done(s) * 5 >= items(s) * 4);
    JsonNode low2 = LocalCluster.get(lowUrl).body();
    assertThat(low2.path("status").asText()).isEqualTo("running");
    long highItems = done(high2) - done(high1);
    long lowItems = done(low2) - done(low1);
    double ratio = (double) highItems / lowItems;
    System.out.printf(
        Locale.ROOT,
        "priorities: %d items of priority 3 against %d of priority 1 while both ran, ratio %.2f;"
            + " the priority-3 job's first item %.1f s after its submission%n",
        highItems,
        lowItems,
        ratio,
        firstItemSeconds);
    assertThat(ratio).isBetween(3 * 0.85, 3 * 1.15);

    // Done with the measure: cancel both, so the restart test below starts on idle nodes.
    assertThat(cancel(lowUrl).path("status").asText()).isEqualTo("canceled");
    cancel(highUrl);
    awaitListedTotal("starting,running", 0);
  }

  @Test
  @Order(3)
  void everyNodeKilledMidJob_theRestartedClusterFinishesItUnasked_andListsEveryJob()
      throws Exception {
    List<String> before = new ArrayList<>();
    List<String> figures = new ArrayList<>();
    long canceledBefore =
        LocalCluster.get(cluster.node(0).http + "/api/jobs?state=canceled&limit=500")
            .body()
            .path("total")
            .asLong();
    for (int trial = 1; trial <= TRIALS; trial++) {
      LocalCluster.Node entry = cluster.node(trial % 3);
      String small = submit(entry, "primes", "--limit", "1000000", "--segment", "100000");
      String job = submitLongPrimes(entry);
      before.add(small);
      before.add(job);
      JsonNode seen =
          awaitStatus(
              entry.http + "/api/jobs/" + job, Duration.ofMinutes(3), s -> done(s) * 4 >= items(s));
      assertThat(seen.path("status").asText()).isEqualTo("running");
      awaitListed(small, "completed");

      for (LocalCluster.Node node : cluster.nodes()) {
        node.process.destroyForcibly();
      }
      for (LocalCluster.Node node : cluster.nodes()) {
        cluster.kill(node);
      }
      long restartedAt = System.nanoTime();
      for (LocalCluster.Node node : cluster.nodes()) {
        cluster.restart(node);
      }

      // Only the listing is read until the job is listed completed: nothing names the job.
      awaitListed(job, "completed");
      double seconds = (System.nanoTime() - restartedAt) / 1e9;
      JsonNode done = LocalCluster.get(cluster.node(1).http + "/api/jobs/" + job).body();
      assertThat(done.path("status").asText()).isEqualTo("completed");
      assertThat(done.path("result").path("count").asLong()).isEqualTo(PI_10_10);
      assertThat(done.path("result").path("largest").asLong()).isEqualTo(LARGEST_PRIME_BELOW_10_10);
      long resumed = done.path("report").path("itemsResumed").asLong();
      assertThat(resumed).as("%s", done.path("report")).isPositive();
      figures.add(
          String.format(
              Locale.ROOT,
              "trial %d: %d of %d items resumed from the ledger; completed %.1f s after the"
                  + " restart began",
              trial,
              resumed,
              items(done),
              seconds));

      // The jobs canceled before (the admission burst's, the priority pair) were not resumed by
      // the restart: still canceled, and nothing else runs.
      JsonNode canceled =
          LocalCluster.get(cluster.node(0).http + "/api/jobs?state=canceled&limit=500").body();
      assertThat(canceled.path("total").asLong()).isEqualTo(canceledBefore);
      assertThat(
              LocalCluster.get(cluster.node(0).http + "/api/jobs?state=starting,running")
                  .body()
                  .path("total")
                  .asLong())
          .isZero();

      // troupe status lists every job, from before every restart too.
      Path statusDir = Files.createDirectories(dir.resolve("status-" + trial));
      TroupeProcess.Result listed =
          TroupeProcess.run(
              statusDir, env, "status", "--node", cluster.node(2).http, "--limit", "500");
      assertThat(listed.exitCode()).as(listed.stderr()).isZero();
      for (String id : before) {
        assertThat(listed.stdout()).as("troupe status lists %s", id).contains(id);
      }
      for (LocalCluster.Node node : cluster.nodes()) {
        LocalCluster.awaitReady(node, Duration.ofMinutes(2));
      }
      cluster.awaitAllUp(Duration.ofMinutes(2));
    }
    figures.forEach(System.out::println);
  }

  /** Polls the registry's listing, on any node that answers, until it shows the job in a state. */
  private void awaitListed(String job, String state) {
    Awaitility.await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              for (LocalCluster.Node node : cluster.nodes()) {
                LocalCluster.Answer page =
                    LocalCluster.get(node.http + "/api/jobs?state=" + state + "&limit=500");
                if (page.status() == 200) {
                  for (JsonNode j : page.body().path("jobs")) {
                    if (j.path("job").asText().equals(job)) {
                      return true;
                    }
                  }
                  return false;
                }
              }
              return false;
            });
  }
}
