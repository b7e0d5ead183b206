package io.troupe.persistence.internal;

import static io.troupe.persistence.internal.LedgerFixture.done;
import static io.troupe.persistence.internal.LedgerFixture.items;
import static io.troupe.persistence.internal.LedgerFixture.spec;
import static io.troupe.persistence.internal.LedgerFixture.sum;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.persistence.testing.CountLogic;
import io.troupe.persistence.testing.CountLogic.Count;
import io.troupe.persistence.testing.FailingJournal;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A ledger whose journal write fails restarts in place (the same actor, after a backoff) and
 * recovers from its journal alone: what it had applied before the failure must not leak into the
 * state it recovers. Runs on Pekko's persistence test kit, whose journal can fail a write on
 * demand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class JobLedgerRestartTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private ActorTestKit testKit;
  private PersistenceTestKit journal;
  private PersistenceSettings settings;
  private int jobs;

  @BeforeAll
  void start() {
    FailingJournal kit = FailingJournal.start("ledger-restart-test");
    testKit = kit.testKit();
    journal = kit.journal();
    settings = kit.settings();
  }

  @BeforeEach
  void clearJournal() {
    journal.clearAll();
    journal.resetPolicy();
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void failedWrite_restartsInPlaceAndRecoversOnlyWhatTheJournalHolds() {
    String job = "restart-" + (++jobs);
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    assertThat(submit(ledger, job, 20, List.of()).isSuccess()).isTrue();
    assertThat(record(ledger, done(0, 10))).isEqualTo(new LedgerProtocol.Recorded(1, 0));

    journal.failNextPersisted();
    TestProbe<LedgerProtocol.Recorded> lost = testKit.createTestProbe();
    ledger.tell(new LedgerProtocol.Record(List.of(done(10, 20)), lost.ref()));
    lost.expectNoMessage(Duration.ofMillis(300));

    LedgerProtocol.Recovered state = state(ledger);
    assertThat(state.progress().completed()).as("completed after the restart").isEqualTo(10);
    assertThat(state.finished().cardinality()).isEqualTo(10);
    assertThat(record(ledger, done(10, 20))).isEqualTo(new LedgerProtocol.Recorded(1, 0));
    assertThat(accumulated(ledger)).isEqualTo(new Count(sum(0, 20), 20));
  }

  @Test
  void failedFirstWrite_leavesALedgerThatTakesTheSubmissionAgain() {
    String job = "restart-" + (++jobs);
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);

    journal.failNextPersisted();
    TestProbe<StatusReply<LedgerProtocol.Progress>> lost = testKit.createTestProbe();
    ledger.tell(new LedgerProtocol.Submit(spec(job), 3, items(3), lost.ref()));
    lost.expectNoMessage(Duration.ofMillis(300));

    assertThat(state(ledger).spec()).as("nothing was recorded").isNull();
    StatusReply<LedgerProtocol.Progress> again = submit(ledger, job, 3, items(3));
    assertThat(again.getValue().added()).isEqualTo(3);
    assertThat(state(ledger).storedIds()).containsExactly("item-0", "item-1", "item-2");
  }

  private ActorRef<LedgerProtocol.Command> ledger(String job) {
    return testKit.spawn(JobLedger.create(job, settings, CountLogic.RESOLVER));
  }

  private StatusReply<LedgerProtocol.Progress> submit(
      ActorRef<LedgerProtocol.Command> ledger,
      String job,
      int planned,
      List<io.troupe.sdk.WorkItem<?>> listed) {
    TestProbe<StatusReply<LedgerProtocol.Progress>> probe = testKit.createTestProbe();
    ledger.tell(new LedgerProtocol.Submit(spec(job), planned, listed, probe.ref()));
    return probe.receiveMessage(TIMEOUT);
  }

  private LedgerProtocol.Recorded record(
      ActorRef<LedgerProtocol.Command> ledger, LedgerProtocol.Entry entry) {
    TestProbe<LedgerProtocol.Recorded> probe = testKit.createTestProbe();
    ledger.tell(new LedgerProtocol.Record(List.of(entry), probe.ref()));
    return probe.receiveMessage(TIMEOUT);
  }

  private LedgerProtocol.Recovered state(ActorRef<LedgerProtocol.Command> ledger) {
    TestProbe<LedgerProtocol.Recovered> probe = testKit.createTestProbe();
    ledger.tell(new LedgerProtocol.GetState(probe.ref()));
    return probe.receiveMessage(TIMEOUT);
  }

  private Object accumulated(ActorRef<LedgerProtocol.Command> ledger) {
    TestProbe<StatusReply<LedgerProtocol.Accumulated>> probe = testKit.createTestProbe();
    ledger.tell(new LedgerProtocol.GetAccumulated(probe.ref()));
    return probe.receiveMessage(TIMEOUT).getValue().accumulator();
  }
}
