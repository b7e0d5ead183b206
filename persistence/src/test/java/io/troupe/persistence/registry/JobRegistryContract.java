package io.troupe.persistence.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.troupe.actors.TroupeSystem;
import io.troupe.persistence.internal.Journals;
import io.troupe.persistence.internal.PersistenceSettings;
import io.troupe.persistence.internal.SchemaMigrations;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The job registry on a real database: {@link H2JobRegistryTest} and {@link
 * PostgresJobRegistryTest} run it on each, {@link MemoryJobRegistryTest} on the memory journal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JobRegistryContract {

  /** Returns the settings of the database under test, as HOCON. */
  abstract String persistence();

  /** Releases the database under test. */
  void release() {}

  /** Returns true if registries opened on the same settings share their jobs, as nodes do. */
  boolean shared() {
    return true;
  }

  /** The time of updates: after every job's submission, and later with each update. */
  private static long clock = 1_000_000;

  private PersistenceSettings settings;
  private JobRegistry registry;
  private int jobs;

  @BeforeAll
  void open() {
    settings =
        PersistenceSettings.create(
            TroupeSystem.config(
                ConfigFactory.parseString(persistence()), List.of(Journals::layer)));
    SchemaMigrations.migrate(settings);
    registry = JobRegistry.open(settings);
  }

  @AfterAll
  void close() {
    if (registry != null) {
      registry.close();
    }
    release();
  }

  /** A job of a pipeline of its own, so that tests sharing the database do not see each other. */
  private JobRegistry.Job job(String pipeline, String state, long submittedAt) {
    return new JobRegistry.Job(
        pipeline + "-" + (++jobs),
        pipeline,
        List.of("--n", "5", "--url", "ünïcode"),
        "alice",
        state,
        2,
        submittedAt,
        0,
        0,
        0,
        0,
        0,
        0,
        null,
        submittedAt);
  }

  private static JobRegistry.Job with(
      JobRegistry.Job j, String state, long completed, long finishedAt, String summary) {
    return new JobRegistry.Job(
        j.job(),
        "ignored",
        List.of(),
        "bob",
        state,
        9,
        1,
        1_000,
        finishedAt,
        10,
        completed,
        1,
        2,
        summary,
        ++clock);
  }

  private JobRegistry.Page list(Set<String> states, String pipeline, long since) {
    return registry.list(new JobRegistry.Query(states, pipeline, since, 0, 100));
  }

  @Test
  void record_addsThenUpdatesWhereTheJobStands_andKeepsWhatItRunsAndWhoSubmittedIt() {
    JobRegistry.Job added = job("rec", "starting", 5_000);
    registry.record(List.of(added));
    registry.record(List.of(with(added, "running", 3, 0, null)));

    JobRegistry.Job now = registry.get(added.job());
    assertThat(now.state()).isEqualTo("running");
    assertThat(now.args()).isEqualTo(added.args());
    assertThat(now.pipeline()).isEqualTo("rec");
    assertThat(now.submittedBy()).isEqualTo("alice");
    assertThat(now.priority()).isEqualTo(2);
    assertThat(now.submittedAt()).isEqualTo(5_000);
    assertThat(now.startedAt()).isEqualTo(1_000);
    assertThat(List.of(now.items(), now.completed(), now.quarantined(), now.failedAttempts()))
        .containsExactly(10L, 3L, 1L, 2L);
    assertThat(registry.get("rec-none")).isNull();
  }

  @Test
  void record_neverChangesAFinalState_butAFailedJobMayRunAgain() {
    JobRegistry.Job canceled = job("fin", "running", 1);
    JobRegistry.Job failed = job("fin", "running", 2);
    registry.record(List.of(canceled, failed));
    registry.record(
        List.of(
            with(canceled, "canceled", 4, 9_000, null),
            with(failed, "failed", 1, 9_000, "the ledger stopped")));

    registry.record(List.of(with(canceled, "running", 6, 0, null)));
    registry.record(List.of(with(failed, "running", 2, 0, null)));

    assertThat(registry.get(canceled.job()).state()).isEqualTo("canceled");
    assertThat(registry.get(canceled.job()).completed()).isEqualTo(4);
    assertThat(registry.get(failed.job()).state()).isEqualTo("running");
  }

  @Test
  void record_olderThanTheRowsLatest_changesNothing() {
    JobRegistry.Job job = job("stale", "running", 1);
    registry.record(List.of(job));
    JobRegistry.Job older = with(job, "running", 5, 0, null);
    JobRegistry.Job newer = with(job, "failed", 7, 2_000, "the ledger stopped");

    registry.record(List.of(newer));
    registry.record(List.of(older)); // a retry from a node the job has left

    assertThat(registry.get(job.job()).state()).isEqualTo("failed");
    assertThat(registry.get(job.job()).completed()).isEqualTo(7);
  }

  @Test
  void list_filtersByStatePipelineAndSince_newestFirst_inPages() {
    List<JobRegistry.Job> all = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      all.add(job("page", i % 2 == 0 ? "running" : "completed", 100 + i));
    }
    registry.record(all);

    JobRegistry.Page first = registry.list(new JobRegistry.Query(Set.of(), "page", 0, 0, 3));
    JobRegistry.Page third = registry.list(new JobRegistry.Query(Set.of(), "page", 0, 6, 3));
    JobRegistry.Page running = list(Set.of("running"), "page", 0);
    JobRegistry.Page recent = list(Set.of("running", "completed"), "page", 104);

    assertThat(first.total()).isEqualTo(7);
    assertThat(first.jobs())
        .extracting(JobRegistry.Job::submittedAt)
        .containsExactly(106L, 105L, 104L);
    assertThat(third.jobs()).extracting(JobRegistry.Job::submittedAt).containsExactly(100L);
    assertThat(running.jobs())
        .extracting(JobRegistry.Job::submittedAt)
        .containsExactly(106L, 104L, 102L, 100L);
    assertThat(recent.total()).isEqualTo(3);
    assertThat(list(Set.of(), "page-other", 0).total()).isZero();
  }

  @Test
  void unfinished_listsStartingAndRunningJobs_oldestFirst() {
    JobRegistry.Job starting = job("wake", "starting", 20);
    JobRegistry.Job running = job("wake", "running", 10);
    JobRegistry.Job done = job("wake", "completed", 5);
    registry.record(List.of(starting, running, done));

    assertThat(registry.unfinished())
        .filteredOn(j -> j.pipeline().equals("wake"))
        .extracting(JobRegistry.Job::job)
        .containsExactly(running.job(), starting.job());
  }

  @Test
  void purge_removesJobsThatEndedBefore_only() {
    JobRegistry.Job old = job("purge", "running", 1);
    JobRegistry.Job recent = job("purge", "running", 2);
    JobRegistry.Job failed = job("purge", "running", 3);
    JobRegistry.Job live = job("purge", "running", 4);
    registry.record(List.of(old, recent, failed, live));
    registry.record(
        List.of(
            with(old, "completed", 10, 1_000, "{}"),
            with(recent, "completed", 10, 5_000, "{}"),
            with(failed, "failed", 0, 1_000, "boom")));

    registry.purge(2_000);

    assertThat(list(Set.of(), "purge", 0).jobs())
        .extracting(JobRegistry.Job::job)
        .containsExactlyInAnyOrder(recent.job(), live.job());
    // The end of a purged job, recorded again by a coordinator woken for it, does not bring it
    // back.
    registry.update(List.of(with(old, "completed", 10, 9_000, "{}")));
    assertThat(registry.get(old.job())).isNull();
  }

  @Test
  void summary_isCutToItsLimit() {
    JobRegistry.Job big = job("cut", "running", 1);
    registry.record(List.of(big));
    registry.record(List.of(with(big, "completed", 10, 1, "x".repeat(10_000))));

    assertThat(registry.get(big.job()).summary()).hasSize(JobRegistry.SUMMARY_MAX).endsWith("…");
  }

  /**
   * Admission is exact for the whole database: requests from many registries (as from many nodes)
   * at once add exactly as many jobs as the limit leaves room for.
   */
  @Test
  void admit_fromManyNodesAtOnce_addsExactlyUpToTheLimit() throws Exception {
    int nodes = 4;
    int limit = 5;
    registry.purge(Long.MAX_VALUE);
    for (JobRegistry.Job j : registry.unfinished()) {
      registry.record(List.of(with(j, "canceled", 0, 1, null)));
    }
    List<JobRegistry> registries = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      registries.add(JobRegistry.open(settings));
    }
    ExecutorService pool = Executors.newFixedThreadPool(nodes * 3);
    try {
      List<Callable<Boolean>> burst = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        JobRegistry node = shared() ? registries.get(i % nodes) : registry;
        JobRegistry.Job candidate = job("admit", "starting", 1_000 + i);
        burst.add(() -> node.admit(candidate, limit) < limit);
      }
      int admitted = 0;
      for (Future<Boolean> f : pool.invokeAll(burst)) {
        admitted += f.get() ? 1 : 0;
      }
      assertThat(admitted).isEqualTo(limit);
      assertThat(list(Set.of("starting"), "admit", 0).total()).isEqualTo(limit);
    } finally {
      pool.shutdownNow();
      registries.forEach(JobRegistry::close);
    }
  }
}
