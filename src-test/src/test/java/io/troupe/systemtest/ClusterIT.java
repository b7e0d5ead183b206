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

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.persistence.testing.PostgresDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-node cluster of real processes, started with {@code troupe cluster up} from the shipped
 * configs with the ledger on PostgreSQL (a throw-away database; the test is skipped without a
 * server, and fails instead under {@code TROUPE_REQUIRE_POSTGRES=1}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class ClusterIT {

  /**
   * How many times each kill test kills a node: {@code -Dcluster.trials=N}; CI runs one (each trial
   * is about half a minute).
   */
  private static final int TRIALS = Integer.getInteger("cluster.trials", 1);

  private Path dir;
  private PostgresDatabase db;
  private LocalCluster cluster;
  private Map<String, String> env;

  @BeforeAll
  void startCluster(@TempDir Path tmp) throws Exception {
    dir = tmp;
    db = PostgresDatabase.createOrSkip();
    // The nodes read the test's files (an input root) and crawl its nginx on 127.0.0.1 (an
    // allowed address); local runs read the same files. The CLI's submissions below get the
    // nodes' token the way a user gives it: TROUPE_HTTP_TOKEN.
    env =
        LocalCluster.withToken(
            Map.of(
                "TROUPE_DB_URL",
                db.url(),
                "TROUPE_INPUT_ROOTS",
                dir.resolve("inputs").toString(),
                "TROUPE_ALLOW_ADDRESSES",
                "127.0.0.1"));
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
  void everyNode_listsThreeUpMembers_andIsReadyAndAlive() throws Exception {
    for (LocalCluster.Node node : cluster.nodes()) {
      assertThat(LocalCluster.members(node, "Up")).as(node.name).isEqualTo(3);
      assertThat(LocalCluster.get(node.http + "/ready").status()).as(node.name).isEqualTo(200);
      assertThat(LocalCluster.get(node.http + "/alive").status()).as(node.name).isEqualTo(200);
      String metrics = scrape(node.http + "/metrics");
      Promtool.check(metrics);
      assertThat(metrics)
          .as(node.name)
          .contains("troupe_cluster_members{status=\"up\"} 3.0")
          .contains("troupe_dispatcher_threads{");
    }
  }

  @Test
  @Order(2)
  void slowStage_isTheBottleneck_andItsQueueGrowsInTheLiveView() throws Exception {
    String job =
        submit(
            cluster.node(0), "slowstage", "--items", "300", "--fast-ms", "30", "--slow-ms", "90");
    String statusUrl = cluster.node(1).http + "/api/jobs/" + job;

    // While it runs: the slow stage's waiting items grew from one sample to a later one, and the
    // live view names it as the bottleneck.
    JsonNode running =
        awaitStatus(
            statusUrl,
            Duration.ofMinutes(2),
            s -> "slow".equals(s.path("live").path("bottleneck").asText()) && slowQueueGrew(s));
    assertThat(running.path("status").asText()).isEqualTo("running");

    JsonNode done = awaitCompleted(statusUrl, "slow stage");
    assertThat(done.path("result").path("slow").asInt()).isEqualTo(300);
    assertThat(done.path("report").path("bottleneck").asText())
        .as("%s", done.path("report"))
        .isEqualTo("slow");
  }

  private static boolean slowQueueGrew(JsonNode status) {
    long before = -1;
    for (JsonNode sample : status.path("live").path("samples")) {
      long waiting = sample.path("stages").path("slow").path("waiting").asLong(-1);
      if (before > 0 && waiting > before) {
        return true;
      }
      before = waiting;
    }
    return false;
  }

  private static String scrape(String url) throws Exception {
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }

  @Test
  @Order(2)
  void submittedJobs_equalLocalRuns() throws Exception {
    Path text = Files.createDirectories(dir.resolve("inputs")).resolve("words.txt");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      sb.append("Schnee ").append(i % 97).append(" äpfel, ").append(i % 13 == 0 ? "Ünd\n" : "und ");
    }
    Files.writeString(text, sb, StandardCharsets.UTF_8);
    String input = text.toAbsolutePath().toString();
    List<List<String>> jobs =
        List.of(
            List.of("wordcount", "--input", input, "--chunk-size", "16KB"),
            List.of("primes", "--limit", "100000000", "--segment", "2000000"),
            List.of("montecarlo", "--paths", "2000000", "--batch", "50000"));
    for (List<String> job : jobs) {
      JsonNode local = runLocally(job);
      JsonNode remote = submitWithCli(cluster.node(1).http, job);
      assertThat(remote.path("status").asText()).as(job.toString()).isEqualTo("completed");
      assertThat(remote.get("result")).as(job.toString()).isEqualTo(local.get("result"));
      // Small jobs may finish before every node's workers joined; the long job below uses all.
      assertThat(remote.path("report").path("nodes").asInt()).as(job.toString()).isPositive();
    }
    // Keyed state spread over the nodes' reducers gives the same counts.
    List<String> shuffle =
        List.of("wordcount", "--input", input, "--chunk-size", "16KB", "--shuffle");
    JsonNode shuffled = submitWithCli(cluster.node(2).http, shuffle);
    assertThat(shuffled.get("result")).isEqualTo(runLocally(jobs.get(0)).get("result"));
  }

  @Test
  @Order(2)
  void crawlSubmittedToTheCluster_isExactAgainstTheGeneratedSite() throws Exception {
    GeneratedSite site = GeneratedSite.generate(dir, "site", 600, 5);
    try (Nginx nginx = Nginx.serve(site.root, dir.resolve("nginx"), Duration.ZERO)) {
      JsonNode crawl =
          submitWithCli(
              cluster.node(2).http, List.of("crawl", "--url", nginx.url(), "--concurrency", "8"));

      assertThat(crawl.path("status").asText()).isEqualTo("completed");
      assertThat(GeneratedSite.figures(crawl.get("result")))
          .isEqualTo(site.figuresAt(nginx.origin()));
    }
  }

  @Test
  @Order(2)
  void cancel_midRun_endsTheJobCanceledOnEveryNode_andTheNextJobGetsTheWorkers() throws Exception {
    LocalCluster.Node entry = cluster.node(0);
    String job = submitLongPrimes(entry);
    String statusUrl = entry.http + "/api/jobs/" + job;
    awaitStatus(statusUrl, Duration.ofMinutes(2), s -> done(s) >= 100);

    assertThat(LocalCluster.delete(cluster.node(2).http + "/api/jobs/" + job, false).status())
        .isEqualTo(401);
    // The cancel as the API takes it, timed: the coordinator hands out nothing more from the moment
    // it reads it; the answer comes once the outcomes before it and the cancel are in the ledger.
    long doneBefore = done(LocalCluster.get(statusUrl).body());
    long sent = System.nanoTime();
    LocalCluster.Answer first =
        LocalCluster.delete(cluster.node(1).http + "/api/jobs/" + job, true);
    long cancelMs = (System.nanoTime() - sent) / 1_000_000;
    assertThat(first.status()).as("%s", first.body()).isIn(200, 503);
    // Then `troupe cancel`, as a user types it: it waits out a 503, and a job canceled already
    // answers the same.
    Path cancelDir = Files.createDirectories(dir.resolve("cancel"));
    long cliSent = System.nanoTime();
    TroupeProcess.Result canceled =
        TroupeProcess.run(
            cancelDir, env, "cancel", job, "--node", cluster.node(1).http, "--format", "json");
    long cliMs = (System.nanoTime() - cliSent) / 1_000_000;
    assertThat(canceled.exitCode()).as(canceled.stderr()).isZero();
    JsonNode answer = canceled.json();
    assertThat(answer.path("status").asText()).isEqualTo("canceled");
    assertThat(answer.path("result").isNull()).isTrue();

    // Canceled on every node, with the same counts, and nothing completes after the cancel.
    long doneAtCancel = -1;
    for (LocalCluster.Node node : cluster.nodes()) {
      JsonNode status = LocalCluster.get(node.http + "/api/jobs/" + job).body();
      assertThat(status.path("status").asText()).as(node.name).isEqualTo("canceled");
      assertThat(status.path("progress").path("inFlight").asLong()).isZero();
      doneAtCancel = doneAtCancel < 0 ? done(status) : doneAtCancel;
      assertThat(done(status)).as(node.name).isEqualTo(doneAtCancel).isLessThan(items(status));
    }
    // Sent again, the cancel answers the same; `troupe status` exits 1 for a canceled job.
    long again = System.nanoTime();
    LocalCluster.Answer repeated = LocalCluster.delete(entry.http + "/api/jobs/" + job, true);
    long apiMs = (System.nanoTime() - again) / 1_000_000;
    assertThat(repeated.status()).isEqualTo(200);
    TroupeProcess.Result status =
        TroupeProcess.run(cancelDir, env, "status", job, "--node", entry.http);
    assertThat(status.exitCode()).as(status.stderr()).isEqualTo(1);
    assertThat(status.stdout()).contains("primes: canceled (job " + job + ")");
    System.out.printf(
        "cancel: DELETE answered %d in %d ms (%d items done when it was sent, %d at the cancel,"
            + " of %d); troupe cancel (a fresh JVM) %d ms; a repeated DELETE %d ms%n",
        first.status(),
        cancelMs,
        doneBefore,
        doneAtCancel,
        items(LocalCluster.get(statusUrl).body()),
        cliMs,
        apiMs);

    // The workers take the next job's items: it runs on all three nodes to the exact result.
    JsonNode next =
        awaitCompleted(
            cluster.node(2).http + "/api/jobs/" + submitLongPrimes(entry), "after a cancel");
    assertThat(next.path("result").path("count").asLong()).isEqualTo(PI_10_10);
    assertThat(next.path("report").path("nodes").asInt()).isEqualTo(3);
    assertThat(LocalCluster.get(statusUrl).body().path("progress").path("completed").asLong())
        .isEqualTo(doneAtCancel);
  }

  @Test
  @Order(3)
  void workerNodeKilled_itsItemsGoToTheOthers_andTheResultIsExact() throws Exception {
    List<String> figures = new ArrayList<>();
    for (int trial = 1; trial <= TRIALS; trial++) {
      LocalCluster.Node entry = cluster.node(trial % 3);
      String statusUrl = entry.http + "/api/jobs/" + submitLongPrimes(entry);

      // Kill a node that only works for the job (not the coordinator's) a quarter of the way in.
      JsonNode seen = awaitStatus(statusUrl, Duration.ofMinutes(2), s -> done(s) * 4 >= items(s));
      assertThat(seen.path("status").asText()).isEqualTo("running");
      LocalCluster.Node coordinator = cluster.byHostPort(seen.path("coordinator").asText());
      LocalCluster.Node victim =
          cluster.nodes().stream()
              .filter(n -> n != coordinator && n != entry)
              .findFirst()
              .orElseThrow();
      long killedAt = System.nanoTime();
      cluster.kill(victim);

      JsonNode done = awaitCompleted(statusUrl, "worker killed, trial " + trial);
      double recoverySeconds = (System.nanoTime() - killedAt) / 1e9;
      assertThat(done.path("status").asText()).isEqualTo("completed");
      assertThat(done.path("result").path("count").asLong()).isEqualTo(PI_10_10);
      assertThat(done.path("result").path("largest").asLong()).isEqualTo(LARGEST_PRIME_BELOW_10_10);
      assertThat(done.path("report").path("nodes").asInt()).isEqualTo(3);
      long redispatched = done.path("report").path("itemsRedispatched").asLong();
      assertThat(redispatched)
          .as("the killed node held items that went to the others: %s", done.path("report"))
          .isPositive();
      figures.add(
          String.format(
              java.util.Locale.ROOT,
              "trial %d: killed %s, %d item(s) re-dispatched, done %.1f s after the kill",
              trial,
              victim.name,
              redispatched,
              recoverySeconds));

      // Every 200 from /ready is checked against the node's own view of itself being Up
      // (awaitReady); that a node not Up answers 503 is ReadinessTest's, with a node that cannot
      // become Up, since whether a restarting node is ever seen not ready depends on timing.
      cluster.restart(victim);
      LocalCluster.awaitReady(victim, Duration.ofMinutes(2));
      cluster.awaitAllUp(Duration.ofMinutes(2));
    }
    figures.forEach(System.out::println);
  }

  @Test
  @Order(4)
  void coordinatorNodeKilled_theJobContinuesElsewhereFromItsLedger_fiveTimes() throws Exception {
    List<String> figures = new ArrayList<>();
    for (int trial = 1; trial <= TRIALS; trial++) {
      LocalCluster.Node entry = cluster.node(trial % 3);
      String job = submitLongPrimes(entry);
      JsonNode seen =
          awaitStatus(
              entry.http + "/api/jobs/" + job, Duration.ofMinutes(2), s -> done(s) * 3 >= items(s));
      LocalCluster.Node victim = cluster.byHostPort(seen.path("coordinator").asText());
      LocalCluster.Node survivor =
          cluster.nodes().stream().filter(n -> n != victim).findFirst().orElseThrow();
      long killedAt = System.nanoTime();
      cluster.kill(victim);

      JsonNode done =
          awaitCompleted(survivor.http + "/api/jobs/" + job, "coordinator killed, trial " + trial);
      double recoverySeconds = (System.nanoTime() - killedAt) / 1e9;
      assertThat(done.path("status").asText()).isEqualTo("completed");
      assertThat(done.path("result").path("count").asLong()).isEqualTo(PI_10_10);
      assertThat(done.path("coordinator").asText()).isNotEqualTo(victim.hostPort);
      long resumed = done.path("report").path("itemsResumed").asLong();
      assertThat(resumed).as("the new coordinator kept the completed items").isPositive();
      figures.add(
          String.format(
              java.util.Locale.ROOT,
              "failover %d: killed coordinator host %s, job went on at %s with %d item(s)"
                  + " resumed, done %.1f s after the kill",
              trial,
              victim.name,
              done.path("coordinator").asText(),
              resumed,
              recoverySeconds));

      cluster.restart(victim);
      LocalCluster.awaitReady(victim, Duration.ofMinutes(2));
      cluster.awaitAllUp(Duration.ofMinutes(2));
    }
    figures.forEach(System.out::println);
  }

  private JsonNode runLocally(List<String> job) throws Exception {
    Path runDir = Files.createDirectories(dir.resolve("local-" + job.get(0)));
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(job);
    args.addAll(List.of("--format", "json"));
    TroupeProcess.Result r =
        TroupeProcess.run(
            runDir,
            Map.of("TROUPE_INPUT_ROOTS", dir.resolve("inputs").toString()),
            args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return r.json();
  }

  private JsonNode submitWithCli(String node, List<String> job) throws Exception {
    Path submitDir = Files.createDirectories(dir.resolve("submit-" + job.get(0)));
    List<String> args = new ArrayList<>(List.of("submit"));
    args.addAll(job);
    args.addAll(List.of("--node", node, "--wait", "--format", "json"));
    TroupeProcess.Result r = TroupeProcess.run(submitDir, env, args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return r.json();
  }
}
