package io.troupe.persistence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.actors.TroupeSystem;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.testing.CountLogic;
import io.troupe.persistence.testing.CountLogic.Count;
import io.troupe.persistence.testing.CountLogic.Value;
import io.troupe.sdk.WorkItem;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What {@link JobLedgerContract} runs on: an actor test kit on a real journal with a small snapshot
 * interval and small ItemsAdded events, ledgers of the {@link CountLogic} pipeline, one command
 * helper per ledger command, and queries of the journal's tables.
 *
 * <p>Item {@code i} of a plan has the id {@code item-i} and contributes {@code i + 1}: a partial is
 * a {@link Count} of the values and of the items it covers, so an accumulator tells both the sum
 * and how many items went into it, and a partial combined twice shows in both.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LedgerFixture {

  /** How long a probe waits: the first command also waits for the journal to start. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Ledger events between two snapshots in these tests. */
  static final int SNAPSHOT_EVERY = 5;

  /** Snapshots kept per ledger in these tests. */
  static final int KEEP_SNAPSHOTS = 2;

  /** Items per ItemsAdded event in these tests. */
  static final int ITEMS_PER_EVENT = 3;

  /** Items per write of a listed plan: small, so a plan of a few items takes several writes. */
  static final int ITEMS_PER_WRITE = 7;

  /** Returns the {@code troupe.persistence} config of the journal under test. */
  abstract String persistence();

  /** Opens a connection to the journal's database. */
  abstract Connection connect() throws SQLException;

  /** Releases the database after the tests. */
  void release() {}

  ActorTestKit testKit;
  PersistenceSettings settings;
  private int jobs;

  @BeforeAll
  void start() {
    Config app =
        ConfigFactory.parseString(
            persistence()
                + "\ntroupe.persistence.ledger { snapshot-every = "
                + SNAPSHOT_EVERY
                + ", keep-snapshots = "
                + KEEP_SNAPSHOTS
                + ", items-per-event = "
                + ITEMS_PER_EVENT
                + ", items-per-write = "
                + ITEMS_PER_WRITE
                + " }");
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

  String newJob() {
    return "job-" + (++jobs);
  }

  ActorRef<LedgerProtocol.Command> ledger(String jobId) {
    return testKit.spawn(JobLedger.create(jobId, settings, CountLogic.RESOLVER));
  }

  ActorRef<LedgerProtocol.Command> restart(ActorRef<LedgerProtocol.Command> ledger, String job) {
    testKit.stop(ledger);
    return ledger(job);
  }

  static JobSpec spec(String job) {
    return new JobSpec(job, "count", List.of());
  }

  static WorkItem<?> item(int i) {
    return new WorkItem<>("item-" + i, "count", new Value(i + 1));
  }

  static WorkItem<?> child(String id) {
    return new WorkItem<>(id, "count", new Value(100));
  }

  /** Items {@code 0 .. n-1} of a listed plan. */
  static List<WorkItem<?>> items(int n) {
    return IntStream.range(0, n).<WorkItem<?>>mapToObj(LedgerFixture::item).toList();
  }

  StatusReply<LedgerProtocol.Progress> submit(
      ActorRef<LedgerProtocol.Command> ledger, JobSpec spec, int planned, List<WorkItem<?>> items) {
    TestProbe<StatusReply<LedgerProtocol.Progress>> probe = testKit.createTestProbe();
    ledger.tell(new LedgerProtocol.Submit(spec, planned, items, probe.ref()));
    return probe.receiveMessage(TIMEOUT);
  }

  /** Submits a listed plan of {@code n} items: the ledger stores them. */
  LedgerProtocol.Progress submitListed(ActorRef<LedgerProtocol.Command> ledger, String job, int n) {
    return submit(ledger, spec(job), n, items(n)).getValue();
  }

  /** Submits an indexed plan of {@code n} items: the ledger stores none of them. */
  LedgerProtocol.Progress submitIndexed(
      ActorRef<LedgerProtocol.Command> ledger, String job, int n) {
    return submit(ledger, spec(job), n, List.of()).getValue();
  }

  LedgerProtocol.Recorded record(
      ActorRef<LedgerProtocol.Command> ledger, LedgerProtocol.Entry... entries) {
    return record(ledger, List.of(entries));
  }

  LedgerProtocol.Recorded record(
      ActorRef<LedgerProtocol.Command> ledger, List<LedgerProtocol.Entry> entries) {
    TestProbe<LedgerProtocol.Recorded> probe = testKit.createTestProbe();
    ledger.tell(new LedgerProtocol.Record(entries, probe.ref()));
    return probe.receiveMessage(TIMEOUT);
  }

  LedgerProtocol.Recovered state(ActorRef<LedgerProtocol.Command> ledger) {
    TestProbe<LedgerProtocol.Recovered> probe = testKit.createTestProbe();
    ledger.tell(new LedgerProtocol.GetState(probe.ref()));
    return probe.receiveMessage(TIMEOUT);
  }

  StatusReply<LedgerProtocol.Accumulated> accumulated(ActorRef<LedgerProtocol.Command> ledger) {
    TestProbe<StatusReply<LedgerProtocol.Accumulated>> probe = testKit.createTestProbe();
    ledger.tell(new LedgerProtocol.GetAccumulated(probe.ref()));
    return probe.receiveMessage(TIMEOUT);
  }

  StatusReply<LedgerEvent.JobCompleted> close(
      ActorRef<LedgerProtocol.Command> ledger, String status, long sum) {
    TestProbe<StatusReply<LedgerEvent.JobCompleted>> probe = testKit.createTestProbe();
    JsonNode result = JsonNodeFactory.instance.objectNode().put("sum", sum);
    JsonNode report = JsonNodeFactory.instance.objectNode().put("wallMs", 7);
    ledger.tell(new LedgerProtocol.Close(status, result, report, probe.ref()));
    return probe.receiveMessage(TIMEOUT);
  }

  StatusReply<LedgerEvent.JobCompleted> cancel(ActorRef<LedgerProtocol.Command> ledger) {
    TestProbe<StatusReply<LedgerEvent.JobCompleted>> probe = testKit.createTestProbe();
    JsonNode report = JsonNodeFactory.instance.objectNode().put("wallMs", 3);
    ledger.tell(new LedgerProtocol.Cancel(report, probe.ref()));
    return probe.receiveMessage(TIMEOUT);
  }

  /** Returns the sum of the values of items {@code from .. to-1}. */
  static long sum(int from, int to) {
    return ((long) to * (to + 1) - (long) from * (from + 1)) / 2;
  }

  /** Completes the items of {@code [from, to)} pairs with their values combined. */
  static LedgerProtocol.Done done(int... ranges) {
    return discovering(ranges, 0, List.of());
  }

  /** Completes items and reports items discovered by them, from index {@code firstNew}. */
  static LedgerProtocol.Done discovering(int[] ranges, int firstNew, List<WorkItem<?>> newItems) {
    long total = 0;
    for (int i = 0; i + 1 < ranges.length; i += 2) {
      total += sum(ranges[i], ranges[i + 1]);
    }
    return new LedgerProtocol.Done(
        ranges, new Count(total, IndexSet.count(ranges)), firstNew, newItems);
  }

  /** Completes one item. */
  static LedgerProtocol.Done doneItem(int index) {
    return done(index, index + 1);
  }

  static LedgerProtocol.Started started(int... ranges) {
    return new LedgerProtocol.Started(ranges);
  }

  static LedgerProtocol.Unstarted unstarted(int... ranges) {
    return new LedgerProtocol.Unstarted(ranges);
  }

  static LedgerProtocol.Failed failed(int index, int attempt) {
    return new LedgerProtocol.Failed(index, attempt, "java.io.IOException: attempt " + attempt);
  }

  static LedgerProtocol.GaveUp gaveUp(int index, int attempts) {
    return new LedgerProtocol.GaveUp(
        index, "item-" + index, attempts, "java.io.IOException: gave up");
  }

  /** Returns the indices of a set, ascending. */
  static List<Integer> indices(BitSet set) {
    return set.stream().boxed().toList();
  }

  /** Returns the ids of stored items, null where an item is finished. */
  static List<String> ids(List<WorkItem<?>> stored) {
    return stored.stream().map(w -> w == null ? null : w.id()).toList();
  }

  private long single(String sql, String job) throws SQLException {
    try (var c = connect();
        var st = c.prepareStatement(sql)) {
      st.setString(1, JobLedger.persistenceId(job).id());
      try (var rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  int snapshotsOf(String job) throws SQLException {
    return (int) single("SELECT count(*) FROM \"snapshot\" WHERE \"persistence_id\" = ?", job);
  }

  /** Returns the sequence number of the job's latest snapshot, or 0. */
  long lastSnapshotSeq(String job) throws SQLException {
    return single(
        "SELECT coalesce(max(\"sequence_number\"), 0) FROM \"snapshot\""
            + " WHERE \"persistence_id\" = ?",
        job);
  }

  /** Returns the sequence number of the job's latest event, or 0. */
  long lastEventSeq(String job) throws SQLException {
    return single(
        "SELECT coalesce(max(\"sequence_number\"), 0) FROM \"event_journal\""
            + " WHERE \"persistence_id\" = ?",
        job);
  }

  /** Returns the job's latest snapshot as stored, and its size in bytes. */
  SnapshotRow latestSnapshot(String job) throws SQLException {
    try (var c = connect();
        var st =
            c.prepareStatement(
                "SELECT \"snapshot_ser_id\", \"snapshot_ser_manifest\", \"snapshot_payload\""
                    + " FROM \"snapshot\" WHERE \"persistence_id\" = ?"
                    + " ORDER BY \"sequence_number\" DESC LIMIT 1")) {
      st.setString(1, JobLedger.persistenceId(job).id());
      try (var rs = st.executeQuery()) {
        rs.next();
        byte[] payload = rs.getBytes(3);
        Object snapshot =
            SerializationExtension.get(testKit.system().classicSystem())
                .deserialize(payload, rs.getInt(1), rs.getString(2))
                .get();
        return new SnapshotRow((LedgerSnapshot) snapshot, payload.length);
      }
    }
  }

  /**
   * A snapshot read back from the database.
   *
   * @param snapshot the snapshot
   * @param bytes its serialized size
   */
  record SnapshotRow(LedgerSnapshot snapshot, int bytes) {}
}
