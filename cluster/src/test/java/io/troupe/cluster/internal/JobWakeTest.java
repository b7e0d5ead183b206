package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.TestNodes;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.registry.JobRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After every node stopped, the jobs the registry lists as unfinished are woken when a node starts
 * and complete from their ledgers, with nothing asking for them; finished ones stay as they are.
 */
final class JobWakeTest {

  @TempDir Path dir;

  private TroupeNode node() throws Exception {
    return TestNodes.startUp(
        "wake-test",
        TestNodes.h2Ledger(dir.resolve("ledger"))
            + TestNodes.QUICK_RETRIES
            + "troupe.jobs.workers-per-node = 1\n");
  }

  @Test
  void nodeStart_wakesUnfinishedJobs_whichCompleteExactly_andListsEveryJob() throws Exception {
    List<String> slow = List.of("--n", "3000", "--sleep-ms", "5");
    long doneBefore;
    try (TroupeNode first = node()) {
      TestNodes.run(
          first, new JobSpec("finished", "sum", List.of("--n", "10")), Duration.ofMinutes(1));
      first.jobs().start(new JobSpec("unfinished", "sum", slow, System.currentTimeMillis(), 2));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> registryState(first, "unfinished").completed() >= 50);
      doneBefore = registryState(first, "unfinished").completed();
      assertThat(registryState(first, "unfinished").state()).isEqualTo("running");
    }

    try (TroupeNode second = node()) {
      // Nothing names the job: the registry is read directly, never its coordinator.
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> registryState(second, "unfinished").state(), "completed"::equals);
      JobRegistry.Job woken = registryState(second, "unfinished");
      assertThat(woken.summary()).contains("\"sum\":" + (3000L * 3001 / 2));
      assertThat(woken.completed()).isEqualTo(3000).isGreaterThan(doneBefore);
      assertThat(woken.priority()).isEqualTo(2);
      assertThat(woken.finishedAt()).isGreaterThanOrEqualTo(woken.startedAt()).isPositive();
      JobRegistry.Page all =
          second.registry().list(new JobRegistry.Query(Set.of(), null, 0, 0, 10));
      assertThat(all.jobs())
          .extracting(JobRegistry.Job::job)
          .containsExactly("unfinished", "finished");
      assertThat(registryState(second, "finished").state()).isEqualTo("completed");
    }
  }

  @Test
  void aJobAdmittedButNeverStarted_isStartedByTheWakersNextRead() throws Exception {
    try (TroupeNode node =
        TestNodes.startUp(
            "wake-test",
            TestNodes.h2Ledger(dir.resolve("ledger-admitted"))
                + TestNodes.QUICK_RETRIES
                + "troupe.registry.wake-interval = 1s\n")) {
      long now = System.currentTimeMillis();
      // Admitted after the waker's first read: only a later read can find it.
      node.registry()
          .admit(
              new JobRegistry.Job(
                  "admitted",
                  "sum",
                  List.of("--n", "50"),
                  "10.0.0.9",
                  "starting",
                  1,
                  now,
                  0,
                  0,
                  0,
                  0,
                  0,
                  0,
                  null,
                  now),
              10);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> registryState(node, "admitted").state(), "completed"::equals);
      assertThat(registryState(node, "admitted").summary()).contains("\"sum\":" + (50L * 51 / 2));
    }
  }

  private static JobRegistry.Job registryState(TroupeNode node, String job) {
    JobRegistry.Job found = node.registry().get(job);
    assertThat(found).as(job).isNotNull();
    return found;
  }
}
