package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.SumPipeline;
import io.troupe.cluster.testing.TestNodes;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.internal.LedgerEvent;
import io.troupe.persistence.testing.LedgerEventWriter;
import io.troupe.sdk.WorkItem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.Props;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job whose node stops half-way, planning or running, continues from its ledger. */
final class JobResumeTest {

  @TempDir Path dir;

  private TroupeNode node() throws Exception {
    return TestNodes.startUp(
        "resume-test", TestNodes.h2Ledger(dir.resolve("ledger")) + TestNodes.QUICK_RETRIES);
  }

  @Test
  void resume_afterNodeStoppedMidJob_completesWithExactResultWithoutRedoingCompletedItems()
      throws Exception {
    List<String> args = List.of("--n", "400", "--sleep-ms", "5");
    long completedBeforeStop;
    try (TroupeNode first = node()) {
      first.jobs().start(new JobSpec("long-job", "sum", args)).toCompletableFuture().get();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> first.jobs().status("long-job").toCompletableFuture().get().completed() >= 100);
      completedBeforeStop = first.jobs().status("long-job").toCompletableFuture().get().completed();
    }

    try (TroupeNode second = node()) {
      second.jobs().resume("long-job").toCompletableFuture().get(30, TimeUnit.SECONDS);
      JobStatus done = TestNodes.awaitCompletion(second, "long-job", Duration.ofSeconds(60));
      assertThat(done.state()).isEqualTo("completed");
      assertThat(done.result().get("sum").asLong()).isEqualTo(400L * 401 / 2);
      assertThat(done.result().get("items").asLong()).isEqualTo(400);
      long resumed = done.report().get("itemsResumed").asLong();
      // Items completed before the stop and written to the ledger are not redone; those still
      // waiting for their write when the node stopped are.
      assertThat(resumed).isGreaterThanOrEqualTo(completedBeforeStop / 2).isLessThan(400);
      assertThat(done.report().get("stages").get(0).get("items").asLong()).isEqualTo(400 - resumed);
    }
  }

  @Test
  void resume_whenTheLedgerHoldsAListedPlanInPart_plansAgainRecordsTheRestAndCompletes()
      throws Exception {
    List<String> args = List.of("--n", "30");
    JobSpec spec = new JobSpec("half-planned", "sum", args);
    SumPipeline sum = new SumPipeline();
    List<WorkItem<?>> items = List.copyOf(sum.plan(sum.parse(args)));
    try (TroupeNode node = node()) {
      // What a coordinator that stopped after the first of its plan's writes leaves behind.
      TestProbe<Done> written = TestProbe.create(node.system());
      node.system()
          .systemActorOf(
              new LedgerEventWriter(
                  "half-planned",
                  List.of(
                      new LedgerEvent.JobSubmitted(spec, items.size(), false),
                      new LedgerEvent.ItemsAdded(0, items.subList(0, 12))),
                  written.ref()),
              "ledger-writer",
              Props.empty())
          .tell("write");
      written.receiveMessage(Duration.ofSeconds(30));

      node.jobs().resume("half-planned").toCompletableFuture().get(30, TimeUnit.SECONDS);
      JobStatus done = TestNodes.awaitCompletion(node, "half-planned", Duration.ofSeconds(60));

      assertThat(done.state()).isEqualTo("completed");
      assertThat(done.result().get("sum").asLong()).isEqualTo(30L * 31 / 2);
      assertThat(done.result().get("items").asLong()).isEqualTo(30);
    }
  }
}
