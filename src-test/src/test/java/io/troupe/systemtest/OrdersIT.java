package io.troupe.systemtest;

import static io.troupe.systemtest.JobsApi.awaitStatus;
import static io.troupe.systemtest.JobsApi.done;
import static io.troupe.systemtest.JobsApi.items;
import static io.troupe.systemtest.JobsApi.submit;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orders saga through the real CLI: on one node (H2), and on a three-node cluster of real
 * processes on PostgreSQL with a node SIGKILLed mid-run, where the invariants must still hold and
 * no order may be lost or charged twice. The cluster tests are skipped without a PostgreSQL server
 * and fail instead under {@code TROUPE_REQUIRE_POSTGRES=1}.
 *
 * <p>{@code -Dorders.soak.runs=5} adds five consecutive 10,000-order runs on the cluster, with
 * their wall times printed (about a minute each here); CI leaves it out for time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class OrdersIT {

  private static final List<String> INVARIANTS =
      List.of(
          "stockNeverNegative",
          "stockLeftMatchesCompleted",
          "completedChargedExactlyOnce",
          "compensatedReleased",
          "everyOrderDecided");

  /** 10,000 orders, 10% of payments declined, stock short enough that some SKUs sell out. */
  private static final String[] TEN_THOUSAND = {
    "--orders", "10000", "--skus", "20", "--stock", "900", "--payment-failure-rate", "0.1"
  };

  @TempDir static Path dir;

  private PostgresDatabase db;
  private LocalCluster cluster;

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
  void run_onOneNode_equalsSequentialWithAmpleStock_andRefusesABadRate() throws Exception {
    Path runDir = Files.createDirectories(dir.resolve("run"));
    TroupeProcess.Result ample =
        TroupeProcess.run(
            runDir,
            "run",
            "orders",
            "--orders",
            "2000",
            "--stock",
            "100000",
            "--payment-failure-rate",
            "0.1",
            "--compare-sequential",
            "--format",
            "json");
    assertThat(ample.exitCode()).as(ample.stderr()).isZero();
    JsonNode a = ample.json();
    assertThat(a.path("status").asText()).isEqualTo("completed");
    assertThat(a.path("report").path("matchesSequential").asBoolean()).isTrue();
    assertThat(a.path("result").path("compensated").asLong()).isBetween(120L, 280L);
    assertInvariantsHold(a.path("result"), 2000);

    TroupeProcess.Result bad =
        TroupeProcess.run(runDir, "run", "orders", "--payment-failure-rate", "1.5");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr().strip())
        .isEqualTo("troupe: orders: --payment-failure-rate must be between 0 and 1, was 1.5");
  }

  @Test
  @Order(2)
  void cluster_tenThousandOrders_fiveConsecutiveRuns_keepTheInvariants() throws Exception {
    int runs = Integer.getInteger("orders.soak.runs", 0);
    Assumptions.assumeTrue(runs > 0, "soak runs only with -Dorders.soak.runs=N");
    startCluster();
    List<String> figures = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      LocalCluster.Node entry = cluster.node(run % cluster.nodes().size());
      long start = System.nanoTime();
      JsonNode finished =
          awaitFinal(entry.http + "/api/jobs/" + submit(entry, "orders", TEN_THOUSAND));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(finished.path("status").asText())
          .as("run %d: %s", run, finished.path("error"))
          .isEqualTo("completed");
      JsonNode result = finished.path("result");
      assertInvariantsHold(result, 10_000);
      figures.add(
          String.format(
              Locale.ROOT,
              "soak run %d: %.1f s (job %.1f s), completed %d, rejectedOutOfStock %d,"
                  + " compensated %d, invariants %s",
              run,
              seconds,
              finished.path("report").path("wallMs").asLong() / 1e3,
              result.path("completed").asLong(),
              result.path("rejectedOutOfStock").asLong(),
              result.path("compensated").asLong(),
              result.path("invariants")));
    }
    figures.forEach(System.out::println);
  }

  @Test
  @Order(3)
  void cluster_nodeKilledMidRun_everyOrderEndsOnce_andTheInvariantsHold() throws Exception {
    startCluster();
    LocalCluster.Node entry = cluster.node(0);
    String statusUrl = entry.http + "/api/jobs/" + submit(entry, "orders", TEN_THOUSAND);

    // Kill a node that is neither the coordinator's nor the one we ask, once a quarter is done.
    JsonNode seen = awaitStatus(statusUrl, Duration.ofMinutes(3), s -> done(s) * 4 >= items(s));
    assertThat(seen.path("status").asText()).isEqualTo("running");
    assertThat(done(seen)).isLessThan(items(seen));
    LocalCluster.Node coordinator = cluster.byHostPort(seen.path("coordinator").asText());
    LocalCluster.Node victim =
        cluster.nodes().stream()
            .filter(n -> n != coordinator && n != entry)
            .findFirst()
            .orElseThrow();
    long killedAt = System.nanoTime();
    cluster.kill(victim);

    JsonNode finished = awaitFinal(statusUrl);
    double afterKill = (System.nanoTime() - killedAt) / 1e9;
    assertThat(finished.path("status").asText())
        .as("%s", finished.path("error"))
        .isEqualTo("completed");
    JsonNode result = finished.path("result");
    assertInvariantsHold(result, 10_000);
    assertThat(result.path("compensated").asLong()).isPositive();
    assertThat(result.path("rejectedOutOfStock").asLong()).isPositive();
    JsonNode report = finished.path("report");
    assertThat(report.path("nodes").asInt()).isEqualTo(3);
    assertThat(report.path("itemsRedispatched").asLong())
        .as("the killed node held batches that went to the others: %s", report)
        .isPositive();
    System.out.printf(
        Locale.ROOT,
        "orders on 3 nodes: killed %s at %d of %d batches; done %.1f s after the kill, %.1f s in"
            + " all; %d batch(es) re-dispatched; %s%n",
        victim.name,
        done(seen),
        items(seen),
        afterKill,
        report.path("wallMs").asLong() / 1e3,
        report.path("itemsRedispatched").asLong(),
        result);
  }

  private void startCluster() throws Exception {
    if (cluster == null) {
      db = PostgresDatabase.createOrSkip();
      cluster = LocalCluster.up(dir, 3, Map.of("TROUPE_DB_URL", db.url()));
    }
  }

  private static void assertInvariantsHold(JsonNode result, long orders) {
    for (String invariant : INVARIANTS) {
      assertThat(result.path("invariants").path(invariant).asBoolean())
          .as("%s in %s", invariant, result)
          .isTrue();
    }
    assertThat(
            result.path("completed").asLong()
                + result.path("rejectedOutOfStock").asLong()
                + result.path("compensated").asLong())
        .as("every order ended exactly once: %s", result)
        .isEqualTo(orders);
    assertThat(result.path("orders").asLong()).isEqualTo(orders);
  }

  /** Waits until the job is over, however it ended. */
  private static JsonNode awaitFinal(String url) {
    return awaitStatus(
        url,
        Duration.ofMinutes(4),
        s -> {
          String status = s.path("status").asText();
          return status.startsWith("completed") || status.equals("failed");
        });
  }
}
