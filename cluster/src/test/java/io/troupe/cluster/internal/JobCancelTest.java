package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.TestNodes;
import io.troupe.persistence.JobSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A canceled job stops handing out items, stays canceled across restarts, and frees workers. */
final class JobCancelTest {

  private static final Duration WITHIN = Duration.ofSeconds(60);

  @TempDir Path dir;

  private TroupeNode node() throws Exception {
    return TestNodes.startUp(
        "cancel-test", TestNodes.h2Ledger(dir.resolve("ledger")) + TestNodes.QUICK_RETRIES);
  }

  private static JobStatus get(java.util.concurrent.CompletionStage<JobStatus> stage)
      throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void cancel_midRun_endsTheJobCanceledForGoodAndTheNextJobGetsTheWorkers() throws Exception {
    List<String> slow = List.of("--n", "2000", "--sleep-ms", "5");
    JobStatus canceled;
    try (TroupeNode node = node()) {
      get(node.jobs().start(new JobSpec("doomed", "sum", slow)));
      await().atMost(WITHIN).until(() -> get(node.jobs().status("doomed")).completed() >= 20);

      canceled = get(node.jobs().cancel("doomed"));
      assertThat(canceled.state()).isEqualTo(JobStatus.CANCELED);
      assertThat(canceled.isFinal()).isTrue();
      assertThat(canceled.completed()).isBetween(20L, 1999L);
      assertThat(canceled.result()).isNull();
      assertThat(canceled.report().get("items").asLong()).isEqualTo(2000);
      assertThat(canceled.report().get("itemsCompleted").asLong()).isEqualTo(canceled.completed());
      assertThat(canceled.report().get("itemsAbandoned").asLong())
          .isEqualTo(2000 - canceled.completed());
      // Waiters are told; nothing more completes once the cancel is recorded.
      assertThat(get(node.jobs().awaitCompletion("doomed", WITHIN))).isEqualTo(canceled);
      // A second cancel changes nothing and says how the job ended.
      assertThat(get(node.jobs().cancel("doomed")).state()).isEqualTo(JobStatus.CANCELED);

      // The workers take the next job's items.
      JobStatus next =
          TestNodes.run(node, new JobSpec("next", "sum", List.of("--n", "100")), WITHIN);
      assertThat(next.state()).isEqualTo("completed");
      assertThat(next.result().get("sum").asLong()).isEqualTo(100L * 101 / 2);
      assertThat(get(node.jobs().status("doomed")).completed()).isEqualTo(canceled.completed());
    }

    try (TroupeNode restarted = node()) {
      // Resuming a canceled job does not run it: it stays canceled, with its counts.
      JobStatus resumed = get(restarted.jobs().resume("doomed"));
      assertThat(resumed.state()).isEqualTo(JobStatus.CANCELED);
      assertThat(resumed.completed()).isEqualTo(canceled.completed());
      assertThat(get(restarted.jobs().status("doomed")).inFlight()).isZero();
    }
  }

  @Test
  void cancel_whenTheJobIsOverOrUnknown_keepsItsOutcomeOrFails() throws Exception {
    try (TroupeNode node = node()) {
      JobStatus done =
          TestNodes.run(node, new JobSpec("quick", "sum", List.of("--n", "3")), WITHIN);

      assertThat(get(node.jobs().cancel("quick")).state()).isEqualTo("completed");
      assertThat(get(node.jobs().status("quick")).result()).isEqualTo(done.result());
      assertThatThrownBy(() -> get(node.jobs().cancel("sum-nobody")))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("there is no job sum-nobody to cancel");
    }
  }
}
