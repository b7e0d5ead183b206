package io.troupe.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.actors.TroupeSystem;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.testing.CountLogic;
import io.troupe.persistence.testing.CountLogic.Count;
import io.troupe.persistence.testing.CountLogic.Value;
import io.troupe.sdk.WorkItem;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ledger's behaviour on a real journal with a small snapshot interval; {@link H2JobLedgerTest}
 * and {@link PostgresJobLedgerTest} run it on each database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JobLedgerContract {

  /** Returns the {@code troupe.persistence} config of the journal under test. */
  abstract String persistence();

  /** Opens a connection to the journal's database. */
  abstract java.sql.Connection connect() throws java.sql.SQLException;

  /** Releases the database after the tests. */
  void release() {}

  private ActorTestKit testKit;
  private PersistenceSettings settings;
  private int jobs;

  @BeforeAll
  void start() {
    Config app =
        ConfigFactory.parseString(
            persistence()
                + "\ntroupe.persistence.ledger { snapshot-every = 5, items-per-event = 3 }");
    Config config = TroupeSystem.config(app, List.of(Journals::layer));
    settings = PersistenceSettings.create(config);
    SchemaMigrations.migrate(settings);
    testKit = ActorTestKit.create("ledger-test", config);
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
    release();
  }

  private String newJob() {
    return "job-" + (++jobs);
  }

  private ActorRef<JobLedger.Command> ledger(String jobId) {
    return testKit.spawn(JobLedger.create(jobId, settings, CountLogic.RESOLVER));
  }

  private static List<WorkItem<?>> items(int n) {
    return IntStream.rangeClosed(1, n)
        .<WorkItem<?>>mapToObj(i -> new WorkItem<>("item-" + i, "count", new Value(i)))
        .toList();
  }

  private JobLedger.Progress submit(ActorRef<JobLedger.Command> ledger, String job, int n) {
    TestProbe<StatusReply<JobLedger.Progress>> probe = testKit.createTestProbe();
    ledger.tell(new JobLedger.Submit(new JobSpec(job, "count", List.of()), items(n), probe.ref()));
    return probe.receiveMessage().getValue();
  }

  private JobLedger.Recorded record(ActorRef<JobLedger.Command> ledger, JobLedger.Entry... e) {
    TestProbe<JobLedger.Recorded> probe = testKit.createTestProbe();
    ledger.tell(new JobLedger.Record(List.of(e), probe.ref()));
    return probe.receiveMessage();
  }

  private JobLedger.Recovered state(ActorRef<JobLedger.Command> ledger) {
    TestProbe<JobLedger.Recovered> probe = testKit.createTestProbe();
    ledger.tell(new JobLedger.GetState(probe.ref()));
    return probe.receiveMessage();
  }

  private StatusReply<LedgerEvent.JobCompleted> complete(ActorRef<JobLedger.Command> ledger) {
    TestProbe<StatusReply<LedgerEvent.JobCompleted>> probe = testKit.createTestProbe();
    ledger.tell(new JobLedger.Complete(JsonNodeFactory.instance.objectNode(), null, probe.ref()));
    return probe.receiveMessage();
  }

  private ActorRef<JobLedger.Command> restart(ActorRef<JobLedger.Command> ledger, String job) {
    testKit.stop(ledger);
    return ledger(job);
  }

  private int snapshotsOf(String job) throws java.sql.SQLException {
    try (var c = connect();
        var st =
            c.prepareStatement("SELECT count(*) FROM \"snapshot\" WHERE \"persistence_id\" = ?")) {
      st.setString(1, JobLedger.persistenceId(job).id());
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static JobLedger.Done done(int i) {
    return new JobLedger.Done("item-" + i, new Count(i, 1), List.of());
  }

  @Test
  void record_whenCompletionsAreDuplicatedAndRedelivered_combinesEachPartialOnce() {
    String job = newJob();
    ActorRef<JobLedger.Command> ledger = ledger(job);
    submit(ledger, job, 4);

    JobLedger.Recorded first = record(ledger, done(1), done(2), done(2));
    JobLedger.Recorded redelivered = record(ledger, done(1), done(3), done(2));
    record(ledger, done(4));

    assertThat(first).isEqualTo(new JobLedger.Recorded(2, 1));
    assertThat(redelivered).isEqualTo(new JobLedger.Recorded(1, 2));
    LedgerEvent.JobCompleted outcome = complete(ledger).getValue();
    assertThat(outcome.status()).isEqualTo("completed");
    assertThat(outcome.result().get("sum").asLong()).isEqualTo(1 + 2 + 3 + 4);
    assertThat(outcome.result().get("items").asLong()).isEqualTo(4);
  }

  @Test
  void record_whenDoneArrivesAfterQuarantine_ignoresIt() {
    String job = newJob();
    ActorRef<JobLedger.Command> ledger = ledger(job);
    submit(ledger, job, 2);

    record(
        ledger,
        new JobLedger.Failed("item-1", 1, "java.io.IOException: flaky"),
        new JobLedger.GaveUp("item-1", 2, "java.io.IOException: still flaky"),
        done(2));
    JobLedger.Recorded late = record(ledger, done(1));

    assertThat(late.ignored()).isEqualTo(1);
    LedgerEvent.JobCompleted outcome = complete(ledger).getValue();
    assertThat(outcome.status()).isEqualTo("completed_with_failures");
    assertThat(outcome.result().get("sum").asLong()).isEqualTo(2);
    assertThat(outcome.result().get("quarantined").get(0).get("reason").asText())
        .isEqualTo("java.io.IOException: still flaky");
  }

  @Test
  void record_whenWorkerDiscoversItems_addsOnlyUnknownOnes() {
    String job = newJob();
    ActorRef<JobLedger.Command> ledger = ledger(job);
    submit(ledger, job, 1);

    record(
        ledger,
        new JobLedger.Done(
            "item-1",
            new Count(1, 1),
            List.of(
                new WorkItem<>("child-a", "count", new Value(10)),
                new WorkItem<>("item-1", "count", new Value(99)),
                new WorkItem<>("child-a", "count", new Value(10)))));

    JobLedger.Recovered now = state(ledger);
    assertThat(now.pending()).extracting(WorkItem<?>::id).containsExactly("child-a");
    assertThat(now.progress().added()).isEqualTo(2);
  }

  @Test
  void record_whenChildCompletesInTheBatchThatAddsIt_countsIt() {
    String job = newJob();
    ActorRef<JobLedger.Command> ledger = ledger(job);
    submit(ledger, job, 1);

    JobLedger.Recorded recorded =
        record(
            ledger,
            new JobLedger.Done(
                "item-1", new Count(1, 1), List.of(new WorkItem<>("child", "count", new Value(5)))),
            new JobLedger.Done("child", new Count(5, 1), List.of()));

    assertThat(recorded).isEqualTo(new JobLedger.Recorded(2, 0));
    assertThat(complete(ledger).getValue().result().get("sum").asLong()).isEqualTo(6);
  }

  @Test
  void complete_whenItemsPending_refuses() {
    String job = newJob();
    ActorRef<JobLedger.Command> ledger = ledger(job);
    submit(ledger, job, 3);
    record(ledger, done(1));

    assertThat(complete(ledger).getError()).hasMessage("2 item(s) are still pending");
  }

  @Test
  void restart_recoversPendingItemsFailuresAndAccumulatorFromSnapshotsAndEvents()
      throws java.sql.SQLException {
    String job = newJob();
    ActorRef<JobLedger.Command> ledger = ledger(job);
    submit(ledger, job, 20);
    // 17 completions and a failure, recorded one by one so that several snapshots (every 5
    // events) and a tail of events after the last one make up the recovered state.
    for (int i = 1; i <= 17; i++) {
      record(ledger, done(i));
    }
    record(ledger, new JobLedger.Failed("item-18", 1, "java.lang.IllegalStateException: x"));

    assertThat(snapshotsOf(job)).as("snapshots kept (keep-snapshots = 2)").isEqualTo(2);

    ActorRef<JobLedger.Command> recovered = restart(ledger, job);

    JobLedger.Recovered state = state(recovered);
    assertThat(state.spec().jobId()).isEqualTo(job);
    assertThat(state.pending())
        .extracting(WorkItem<?>::id)
        .containsExactly("item-18", "item-19", "item-20");
    assertThat(state.failures()).containsEntry("item-18", 1);
    assertThat(state.progress()).isEqualTo(new JobLedger.Progress(20, 17, 0, 1));
    record(recovered, done(17), done(18), done(19), done(20));
    assertThat(complete(recovered).getValue().result().get("sum").asLong()).isEqualTo(210);
  }

  @Test
  void restart_remembersWhichPendingItemsWereStarted_throughSnapshots() {
    String job = newJob();
    ActorRef<JobLedger.Command> ledger = ledger(job);
    submit(ledger, job, 12);
    // item-1 is started and done in one batch; item-2 twice; item-3 is failed after starting.
    JobLedger.Recorded first =
        record(
            ledger,
            new JobLedger.Started("item-1"),
            new JobLedger.Started("item-2"),
            done(1),
            new JobLedger.Started("item-2"),
            new JobLedger.Started("item-3"));
    record(ledger, new JobLedger.Failed("item-3", 1, "java.io.IOException: x"));
    // Enough further events for a snapshot (every 5) to hold the started set.
    for (int i = 4; i <= 9; i++) {
      record(ledger, new JobLedger.Started("item-" + i), done(i));
    }
    record(ledger, new JobLedger.Started("item-10"), new JobLedger.Failed("item-7", 2, "late"));

    JobLedger.Recovered state = state(restart(ledger, job));

    assertThat(first)
        .as("starts are neither accepted outcomes nor ignored")
        .isEqualTo(new JobLedger.Recorded(1, 0));
    assertThat(state.started()).containsExactlyInAnyOrder("item-2", "item-3", "item-10");
    assertThat(state.failures()).containsOnlyKeys("item-3");
  }

  @Test
  void record_whenABatchIsResentAfterATimeout_countsEachFailedAttemptOnce() {
    String job = newJob();
    ActorRef<JobLedger.Command> ledger = ledger(job);
    submit(ledger, job, 2);
    JobLedger.Failed attempt1 = new JobLedger.Failed("item-1", 1, "java.io.IOException: x");

    record(ledger, attempt1);
    JobLedger.Recorded resent = record(ledger, attempt1);
    record(ledger, new JobLedger.Failed("item-1", 2, "java.io.IOException: y"));

    assertThat(resent).isEqualTo(new JobLedger.Recorded(0, 1));
    assertThat(state(ledger).failures()).containsEntry("item-1", 2);
    assertThat(state(ledger).progress().failedAttempts()).isEqualTo(2);
  }

  @Test
  void recovery_whenTheLogicCannotBeResolvedAnyMore_recoversAndRefusesToGoOn() {
    String job = newJob();
    ActorRef<JobLedger.Command> ledger = ledger(job);
    submit(ledger, job, 3);
    record(ledger, done(1));
    testKit.stop(ledger);

    ActorRef<JobLedger.Command> orphan =
        testKit.spawn(
            JobLedger.create(
                job,
                settings,
                spec -> {
                  throw new IllegalArgumentException("unknown pipeline '" + spec.pipeline() + "'");
                }));

    JobLedger.Recovered state = state(orphan);
    assertThat(state.error()).contains("unknown pipeline 'count'");
    assertThat(state.progress().completed()).isEqualTo(1);
    assertThat(record(orphan, done(2))).isEqualTo(new JobLedger.Recorded(0, 1));
    assertThat(complete(orphan).getError()).hasMessageContaining("unknown pipeline 'count'");
  }

  @Test
  void submit_whenRepeated_isIdempotent() {
    String job = newJob();
    ActorRef<JobLedger.Command> ledger = ledger(job);
    submit(ledger, job, 3);
    record(ledger, done(1));

    JobLedger.Progress again = submit(restart(ledger, job), job, 3);

    assertThat(again).isEqualTo(new JobLedger.Progress(3, 1, 0, 0));
  }

  @Test
  void complete_isRememberedAcrossRestarts() {
    String job = newJob();
    ActorRef<JobLedger.Command> ledger = ledger(job);
    submit(ledger, job, 1);
    record(ledger, done(1));
    LedgerEvent.JobCompleted first = complete(ledger).getValue();

    ActorRef<JobLedger.Command> recovered = restart(ledger, job);

    // JSON numbers come back as the smallest fitting node type, so compare the JSON text.
    assertThat(state(recovered).outcome().toString()).isEqualTo(first.toString());
    assertThat(complete(recovered).getValue().toString()).isEqualTo(first.toString());
  }

  @Test
  void eventsAndSnapshots_roundTripThroughJacksonCbor() {
    SerializationTestKit serialization = new SerializationTestKit(testKit.system());
    WorkItem<?> item = new WorkItem<>("item-1", "count", new Value(1));
    List<Object> messages = new ArrayList<>();
    messages.add(new LedgerEvent.JobSubmitted(new JobSpec("j", "count", List.of("--n", "3"))));
    messages.add(new LedgerEvent.ItemsAdded(List.of(item)));
    messages.add(new LedgerEvent.ItemCompleted("item-1", new Count(1, 1)));
    messages.add(new LedgerEvent.ItemFailed("item-1", 1, "java.io.IOException: x"));
    messages.add(new LedgerEvent.ItemQuarantined("item-1", 3, "java.io.IOException: x"));
    messages.add(
        new LedgerEvent.JobCompleted(
            "completed",
            JsonNodeFactory.instance.objectNode().put("sum", 1),
            JsonNodeFactory.instance.objectNode().put("wallMs", 5)));

    for (Object message : messages) {
      serialization.verifySerialization(message, true);
    }
  }
}
