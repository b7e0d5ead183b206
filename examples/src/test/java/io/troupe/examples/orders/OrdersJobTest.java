package io.troupe.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.TestNodes;
import io.troupe.persistence.JobSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orders jobs on an embedded single-node cluster with an H2 ledger and journal, the path {@code
 * troupe run} takes: sharded entities, batches placed concurrently, the audit at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class OrdersJobTest {

  private TroupeNode node;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    node =
        TestNodes.startUp(
            "orders-test",
            TestNodes.h2Ledger(dir.resolve("ledger")) + "troupe.jobs.workers-per-node = 2",
            Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    TestNodes.close(node);
  }

  private JobStatus run(String job, List<String> args) throws Exception {
    return TestNodes.run(node, new JobSpec(job, "orders", args), Duration.ofMinutes(2));
  }

  @Test
  void job_withAmpleStock_equalsTheSequentialResult() throws Exception {
    List<String> args =
        List.of(
            "--orders",
            "600",
            "--batch",
            "50",
            "--stock",
            "10000",
            "--payment-failure-rate",
            "0.1",
            "--payment-latency-ms",
            "2",
            "--seed",
            "7");

    JobStatus done = run("ample-1", args);

    OrdersPipeline pipeline = new OrdersPipeline();
    JsonNode expected = pipeline.sequential(pipeline.parse(args)).orElseThrow();
    assertThat(done.state()).as("%s", done.error()).isEqualTo("completed");
    assertThat(done.result()).isEqualTo(expected);
    assertThat(done.result().get("compensated").asLong()).isPositive();
    assertThat(done.items()).isEqualTo(12);
  }

  @Test
  void job_withScarceStock_sellsOut_andItsInvariantsHold() throws Exception {
    JobStatus done =
        run("scarce-1", List.of("--orders", "600", "--skus", "5", "--stock", "60", "--seed", "3"));

    JsonNode r = done.result();
    assertThat(done.state()).as("%s", done.error()).isEqualTo("completed");
    assertThat(r.get("rejectedOutOfStock").asLong()).isPositive();
    assertThat(
            r.get("completed").asLong()
                + r.get("rejectedOutOfStock").asLong()
                + r.get("compensated").asLong())
        .isEqualTo(600);
    r.get("invariants").forEach(holds -> assertThat(holds.asBoolean()).isTrue());
  }

  @Test
  void job_whoseInventoryWasTamperedWith_failsNamingTheViolatedInvariant() throws Exception {
    // Before the job, order 5's SKU reserves one unit more for it than the order will buy: the
    // order's own reservation is then answered from that record (reserving is idempotent), and
    // the stock left no longer matches the completed orders.
    String job = "tampered-1";
    OrderLine line = Catalog.line(42, 5, 20);
    ActorRef<Inventory.Reservation> ignore = node.system().ignoreRef();
    ClusterSharding.get(node.system())
        .entityRefFor(Inventory.TYPE_KEY, Inventory.entityId(job, line.sku()))
        .tell(new Inventory.Reserve(5, line.units() + 1, 10_000, ignore));
    AskPattern.ask(
            ClusterSharding.get(node.system())
                .entityRefFor(Inventory.TYPE_KEY, Inventory.entityId(job, line.sku())),
            (ActorRef<Inventory.Audit> replyTo) -> new Inventory.GetAudit(10_000, replyTo),
            Duration.ofSeconds(10),
            node.system().scheduler())
        .toCompletableFuture()
        .get(15, TimeUnit.SECONDS);

    JobStatus done =
        run(job, List.of("--orders", "100", "--stock", "10000", "--payment-failure-rate", "0"));

    assertThat(done.state()).isEqualTo("failed");
    assertThat(done.result()).isNull();
    assertThat(done.error())
        .contains("orders: invariant violated: stockLeftMatchesCompleted (sku-" + line.sku())
        .contains("\"stockNeverNegative\":true");
  }
}
