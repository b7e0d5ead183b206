package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.SumPipeline;
import io.troupe.cluster.testing.TestNodes;
import io.troupe.persistence.JobSpec;
import io.troupe.sdk.Confinement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Jobs on an embedded single-node cluster with an H2 file ledger: the path `troupe run` takes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class JobRuntimeTest {

  @TempDir static Path dir;

  private TroupeNode node;
  private int jobs;

  @BeforeAll
  void start() throws Exception {
    node =
        TestNodes.startUp(
            "runtime-test", TestNodes.h2Ledger(dir.resolve("ledger")) + TestNodes.QUICK_RETRIES);
  }

  @AfterAll
  void stop() {
    TestNodes.close(node);
  }

  private JobStatus run(String... args) throws Exception {
    return runAs("sum-" + (++jobs), args);
  }

  private JobStatus runAs(String job, String... args) throws Exception {
    return TestNodes.run(node, new JobSpec(job, "sum", List.of(args)), Duration.ofSeconds(60));
  }

  private static JsonNode expected(String... args) throws Exception {
    return ParsedPipeline.parse(new SumPipeline(), List.of(args), Confinement.local())
        .sequential()
        .orElseThrow();
  }

  @Test
  void job_isMeteredPerStage_andItsStatusCarriesTheLiveView() throws Exception {
    JobStatus status = run("--n", "120");

    String job = status.job();
    String scrape = io.troupe.cluster.metrics.TroupeMetrics.get(node.system()).scrape();
    assertThat(scrape)
        .contains(
            "troupe_items_processed_total{job=\""
                + job
                + "\",pipeline=\"sum\",stage=\"add\"} 120.0")
        .contains(
            "troupe_item_latency_seconds_count{job=\""
                + job
                + "\",pipeline=\"sum\",stage=\"add\"} 120")
        .contains("troupe_cluster_members{status=\"up\"} 1.0");
    JsonNode live = status.live();
    assertThat(live).as("the finished job's live view").isNotNull();
    assertThat(live.path("stages").get(0).path("name").asText()).isEqualTo("add");
    assertThat(live.path("stages").get(0).path("items").asLong()).isEqualTo(120);
    assertThat(live.path("samples").size()).isPositive();
    assertThat(status.report().path("stages").get(0).has("maxWaiting")).isTrue();
  }

  @Test
  void job_completesWithTheSequentialResult() throws Exception {
    JobStatus status = run("--n", "300");

    assertThat(status.state()).isEqualTo("completed");
    assertThat(status.result().toString()).isEqualTo(expected("--n", "300").toString());
    assertThat(status.completed()).isEqualTo(300);
    JsonNode report = status.report();
    assertThat(report.get("items").asLong()).isEqualTo(300);
    assertThat(report.get("nodes").asInt()).isEqualTo(1);
    assertThat(report.get("workers").asInt()).isEqualTo(2);
    assertThat(report.get("stages").get(0).get("name").asText()).isEqualTo("add");
    assertThat(report.get("stages").get(0).get("items").asLong()).isEqualTo(300);
    assertThat(report.get("stages").get(0).get("maxMailbox").asInt())
        .as("credit (troupe.jobs.worker-queue.max-items, 128) bounds every worker's mailbox")
        .isLessThan(128);
  }

  @Test
  void job_whenItemAlwaysFails_quarantinesItAndCompletesTheRest() throws Exception {
    JobStatus status = run("--n", "20", "--fail", "7");

    assertThat(status.state()).isEqualTo("completed_with_failures");
    assertThat(status.result().get("sum").asLong()).isEqualTo(210 - 7);
    JsonNode quarantined = status.result().get("quarantined");
    assertThat(quarantined).hasSize(1);
    assertThat(quarantined.get(0).get("item").asText()).isEqualTo("n-7");
    assertThat(quarantined.get(0).get("reason").asText())
        .isEqualTo("java.lang.IllegalStateException: item 7 is poison");
    assertThat(status.failedAttempts()).isEqualTo(3);
    assertThat(status.report().get("itemsQuarantined").asLong()).isEqualTo(1);
  }

  @Test
  void job_whenAWorkerLogs_theLineCarriesTheJobAndItemInItsMdc() {
    String job = "sum-logs";
    LoggingTestKit.warn("Item 4 is poison; throwing")
        .withOccurrences(3) // one per attempt
        .withMdc(
            Map.of(
                WorkerMdc.MDC_JOB, job,
                WorkerMdc.MDC_PIPELINE, "sum",
                WorkerMdc.MDC_ITEM, "n-4",
                WorkerMdc.MDC_STAGE, "add"))
        .expect(
            node.system(),
            () -> {
              try {
                return runAs(job, "--n", "6", "--fail", "4");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
  }

  @Test
  void job_whenItemFailsOnce_retriesItAndCompletes() throws Exception {
    JobStatus status = run("--n", "20", "--flaky", "5");

    assertThat(status.state()).isEqualTo("completed");
    assertThat(status.result().get("sum").asLong()).isEqualTo(210);
    assertThat(status.report().get("itemsRetried").asLong()).isEqualTo(1);
  }

  @Test
  void job_whenWorkersDiscoverItems_processesEachExactlyOnce() throws Exception {
    JobStatus status = run("--n", "40", "--fork");

    assertThat(status.result().toString()).isEqualTo(expected("--n", "40", "--fork").toString());
    assertThat(status.items()).isEqualTo(60);
  }

  @Test
  void job_withNoItems_completesEmpty() throws Exception {
    JobStatus status = run("--n", "0");

    assertThat(status.state()).isEqualTo("completed");
    assertThat(status.result().get("sum").asLong()).isZero();
  }

  @Test
  void start_withBadOptions_failsWithThePipelinesMessage() {
    assertThatThrownBy(
            () ->
                node.jobs()
                    .start(new JobSpec("bad-1", "sum", List.of("--bogus")))
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("sum: Unknown option: '--bogus'");
  }

  @Test
  void start_withUnknownPipeline_namesTheKnownOnes() {
    assertThatThrownBy(
            () ->
                node.jobs()
                    .start(new JobSpec("bad-2", "nope", List.of()))
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS))
        .hasMessageContaining("unknown pipeline 'nope'; known pipelines: sum");
  }

  @Test
  void status_ofUnknownJob_isUnknown() throws Exception {
    assertThat(
            node.jobs().status("never-ran").toCompletableFuture().get(30, TimeUnit.SECONDS).state())
        .isEqualTo(JobStatus.UNKNOWN);
  }
}
