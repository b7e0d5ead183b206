package io.troupe.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.persistence.testing.CountLogic.Count;
import io.troupe.persistence.testing.LedgerEventWriter;
import io.troupe.sdk.QuarantinedItem;
import io.troupe.sdk.WorkItem;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

/**
 * The ledger after a restart: what it recovers from its snapshots and the events after them, for
 * plans of either kind and at scale. Part of {@link JobLedgerContract}, which runs it on each
 * database.
 */
abstract class LedgerRecoveryContract extends LedgerFixture {
  @Test
  void restart_withAListedPlan_recoversItsStateFromSnapshotsAndEvents() throws Exception {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitListed(ledger, job, 20);
    // 17 completions, recorded one by one so that several snapshots and a tail of events after
    // the last one make up the recovered state.
    for (int i = 0; i < 17; i++) {
      record(ledger, started(i, i + 1), doneItem(i));
    }
    record(ledger, started(17, 19), failed(17, 1));

    assertThat(snapshotsOf(job)).as("snapshots kept").isEqualTo(KEEP_SNAPSHOTS);
    assertThat(lastEventSeq(job))
        .as("events after the last snapshot")
        .isGreaterThan(lastSnapshotSeq(job));

    ActorRef<LedgerProtocol.Command> recovered = restart(ledger, job);

    LedgerProtocol.Recovered state = state(recovered);
    assertThat(state.spec().jobId()).isEqualTo(job);
    assertThat(state.planned()).isEqualTo(20);
    assertThat(state.indexed()).isFalse();
    assertThat(state.total()).isEqualTo(20);
    assertThat(state.storedFrom()).isZero();
    assertThat(state.storedIds()).isEqualTo(ids(items(20)));
    assertThat(state.stored()).hasSize(20);
    assertThat(state.stored().subList(0, 17)).containsOnlyNulls();
    assertThat(state.stored().subList(17, 20)).containsExactly(item(17), item(18), item(19));
    assertThat(indices(state.finished())).isEqualTo(IntStream.range(0, 17).boxed().toList());
    assertThat(indices(state.started())).containsExactly(17, 18);
    assertThat(state.failures()).containsExactlyEntriesOf(Map.of(17, 1));
    assertThat(state.progress()).isEqualTo(new LedgerProtocol.Progress(20, 17, 0, 1));
    assertThat(state.outcome()).isNull();
    assertThat(state.error()).isNull();
    assertThat(record(recovered, doneItem(16), done(17, 20)))
        .isEqualTo(new LedgerProtocol.Recorded(1, 1));
    assertThat(accumulated(recovered).getValue().accumulator())
        .isEqualTo(new Count(sum(0, 20), 20));
  }

  @Test
  void restart_withAnIndexedPlan_recoversItsStateFromSnapshotsAndEvents() throws Exception {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitIndexed(ledger, job, 30);
    record(ledger, discovering(new int[] {0, 1}, 30, List.of(child("c30"), child("c31"))));
    for (int i = 2; i < 30; i += 2) {
      record(ledger, doneItem(i));
    }
    record(ledger, failed(5, 1));
    record(ledger, failed(5, 2));
    record(ledger, failed(7, 1), gaveUp(7, 2));
    record(ledger, started(9, 10, 31, 32), doneItem(30));
    // Every other item is finished: the snapshot keeps them as a bitmap, smaller than ranges.
    IndexSet finishedInSnapshot = latestSnapshot(job).snapshot().finished();
    assertThat(finishedInSnapshot.bits()).isNotNull();
    assertThat(finishedInSnapshot.ranges()).isNull();
    assertThat(lastEventSeq(job)).isGreaterThan(lastSnapshotSeq(job));

    ActorRef<LedgerProtocol.Command> recovered = restart(ledger, job);

    LedgerProtocol.Recovered state = state(recovered);
    BitSet finished = new BitSet();
    IntStream.range(0, 16).forEach(i -> finished.set(2 * i));
    finished.set(7);
    assertThat(state.planned()).isEqualTo(30);
    assertThat(state.indexed()).isTrue();
    assertThat(state.total()).isEqualTo(32);
    assertThat(state.storedFrom()).isEqualTo(30);
    assertThat(state.storedIds()).containsExactly("c30", "c31");
    assertThat(ids(state.stored())).containsExactly(null, "c31");
    assertThat(state.finished()).isEqualTo(finished);
    assertThat(indices(state.started())).containsExactly(9, 31);
    assertThat(state.failures()).containsExactlyEntriesOf(Map.of(5, 2));
    assertThat(state.progress()).isEqualTo(new LedgerProtocol.Progress(32, 16, 1, 3));

    BitSet pending = new BitSet();
    pending.set(0, 32);
    pending.andNot(finished);
    assertThat(record(recovered, done(IndexSet.ranges(pending))))
        .isEqualTo(new LedgerProtocol.Recorded(1, 0));
    LedgerProtocol.Accumulated result = accumulated(recovered).getValue();
    assertThat(result.accumulator()).isEqualTo(new Count(sum(0, 32) - 8, 31));
    assertThat(result.quarantined())
        .containsExactly(new QuarantinedItem("item-7", "java.io.IOException: gave up"));
  }

  @Test
  void restart_remembersWhichPendingItemsWereStarted_throughSnapshots() throws Exception {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitListed(ledger, job, 12);
    // Item 0 is started and done in one batch; item 1 twice; item 2 fails after starting.
    LedgerProtocol.Recorded first =
        record(ledger, started(0, 2), doneItem(0), started(1, 2), started(2, 3));
    record(ledger, failed(2, 1));
    for (int i = 3; i <= 8; i++) {
      record(ledger, started(i, i + 1), doneItem(i));
    }
    // Item 0 is finished, so starting it again marks nothing; item 6's late failure is ignored.
    LedgerProtocol.Recorded last = record(ledger, started(0, 1, 9, 10), failed(6, 2));

    assertThat(snapshotsOf(job)).isPositive();
    LedgerProtocol.Recovered state = state(restart(ledger, job));

    assertThat(first)
        .as("starts are neither accepted outcomes nor ignored")
        .isEqualTo(new LedgerProtocol.Recorded(1, 0));
    assertThat(last).isEqualTo(new LedgerProtocol.Recorded(0, 1));
    assertThat(indices(state.started())).containsExactly(1, 2, 9);
    assertThat(state.failures()).containsOnlyKeys(2);
  }

  @Test
  void itemsGivenBackUnstarted_areNotStartedAfterARestart() throws Exception {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitListed(ledger, job, 12);
    record(ledger, started(0, 6));
    // A leaving node gave 2..4 back unstarted and finished 0; 5 was given back after it completed
    // elsewhere (ignored), 7 was never started (ignored).
    LedgerProtocol.Recorded back = record(ledger, doneItem(0), unstarted(2, 5, 7, 8));
    record(ledger, doneItem(5));
    record(ledger, unstarted(5, 6));
    // Item 3 goes out again and starts for real.
    record(ledger, started(3, 4));

    LedgerProtocol.Recovered state = state(restart(ledger, job));

    assertThat(back)
        .as("a give-back is neither an accepted outcome nor ignored")
        .isEqualTo(new LedgerProtocol.Recorded(1, 0));
    assertThat(indices(state.started())).containsExactly(1, 3);
  }

  @Test
  void recovery_whenTheLogicCannotBeResolvedAnyMore_recoversAndRefusesToGoOn() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitListed(ledger, job, 3);
    record(ledger, doneItem(0));
    testKit.stop(ledger);

    ActorRef<LedgerProtocol.Command> orphan =
        testKit.spawn(
            JobLedger.create(
                job,
                settings,
                spec -> {
                  throw new IllegalArgumentException("unknown pipeline '" + spec.pipeline() + "'");
                }));

    LedgerProtocol.Recovered state = state(orphan);
    assertThat(state.error()).contains("unknown pipeline 'count'");
    assertThat(state.spec().jobId()).isEqualTo(job);
    assertThat(state.progress().completed()).isEqualTo(1);
    assertThat(record(orphan, doneItem(1))).isEqualTo(new LedgerProtocol.Recorded(0, 1));
    assertThat(close(orphan, "completed", 1).getError())
        .hasMessageContaining("unknown pipeline 'count'");
    assertThat(accumulated(orphan).getError()).hasMessageContaining("unknown pipeline 'count'");
    assertThat(submit(orphan, spec(job), 3, items(3)).getError())
        .hasMessageContaining("unknown pipeline 'count'");
  }

  /**
   * A job of a million items recovers from its latest snapshot and a bounded tail of events,
   * whatever the length of its journal: the snapshot holds the finished items as ranges, a few
   * bytes, and the counts come back exact.
   */
  @Test
  void restart_ofAMillionItemJob_recoversFromACompactSnapshotAndAShortTail() throws Exception {
    int planned = 1_000_000;
    int batch = 1_000;
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitIndexed(ledger, job, planned);
    List<Integer> blocks = new ArrayList<>(IntStream.range(0, planned / batch).boxed().toList());
    Collections.shuffle(blocks, new Random(17));
    int half = blocks.get(blocks.size() - 1) * batch;
    // One Done per block of 1,000 items, 20 per write; the last block only half done.
    List<LedgerProtocol.Entry> entries = new ArrayList<>();
    for (int block : blocks) {
      int from = block * batch;
      entries.add(done(from, from == half ? from + batch / 2 : from + batch));
      if (entries.size() == 20) {
        assertThat(record(ledger, entries)).isEqualTo(new LedgerProtocol.Recorded(20, 0));
        entries.clear();
      }
    }
    record(ledger, failed(half + batch / 2, 1));

    ActorRef<LedgerProtocol.Command> recovered = restart(ledger, job);

    LedgerProtocol.Recovered state = state(recovered);
    assertThat(state.progress())
        .isEqualTo(new LedgerProtocol.Progress(planned, planned - 500, 0, 1));
    BitSet pending = new BitSet();
    pending.set(0, planned);
    pending.andNot(state.finished());
    BitSet expected = new BitSet();
    expected.set(half + batch / 2, half + batch);
    assertThat(pending).isEqualTo(expected);
    assertThat(state.failures()).containsExactlyEntriesOf(Map.of(half + batch / 2, 1));
    assertThat(state.stored()).isEmpty();
    assertThat(state.storedIds()).isEmpty();
    assertThat(lastEventSeq(job)).isGreaterThan(planned / batch);
    assertThat(lastEventSeq(job) - lastSnapshotSeq(job))
        .as("events replayed after the latest snapshot")
        .isBetween(1L, (long) SNAPSHOT_EVERY);
    SnapshotRow snapshot = latestSnapshot(job);
    assertThat(snapshot.snapshot().finished().ranges()).isNotNull();
    assertThat(snapshot.snapshot().finished().toBitSet()).isEqualTo(state.finished());
    assertThat(snapshot.bytes()).as("snapshot size").isLessThan(1_000);
    record(recovered, done(half + batch / 2, half + batch));
    assertThat(accumulated(recovered).getValue().accumulator())
        .isEqualTo(new Count(sum(0, planned), planned));
  }

  /**
   * A listed plan's snapshots hold no item: they stay as small as an indexed plan's, and a
   * restarted ledger reads the items back from the journal, answering what it was asked meanwhile
   * once it has them.
   */
  @Test
  void restart_ofAListedPlan_readsItsItemsBackFromTheJournalNotFromTheSnapshot() throws Exception {
    int planned = 30 * ITEMS_PER_WRITE + 7;
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitListed(ledger, job, planned);
    // Every item but the last three completes, one write each, so that snapshots are taken.
    for (int from = 0; from < planned - 3; from += 10) {
      record(ledger, done(from, Math.min(from + 10, planned - 3)));
    }
    assertThat(lastSnapshotSeq(job)).as("a snapshot after the plan").isPositive();

    ActorRef<LedgerProtocol.Command> recovered = restart(ledger, job);
    // Asked at once: the question waits until the items are read back.
    LedgerProtocol.Recovered state = state(recovered);

    assertThat(latestSnapshot(job).bytes())
        .as("snapshot size of %d listed items", planned)
        .isLessThan(1_000);
    assertThat(state.error()).isNull();
    assertThat(state.storedIds()).isEqualTo(ids(items(planned)));
    assertThat(state.stored().subList(0, planned - 3)).containsOnlyNulls();
    assertThat(state.stored().subList(planned - 3, planned))
        .containsExactlyElementsOf(items(planned).subList(planned - 3, planned));
    assertThat(record(recovered, done(planned - 3, planned)))
        .isEqualTo(new LedgerProtocol.Recorded(1, 0));
    assertThat(accumulated(recovered).getValue().accumulator())
        .isEqualTo(new Count(sum(0, planned), planned));
  }

  @Test
  void submit_aListedPlanOfSeveralWrites_recordsEveryItemAndAnswersOnce() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    int planned = 3 * ITEMS_PER_WRITE + 2;
    TestProbe<StatusReply<LedgerProtocol.Progress>> probe = testKit.createTestProbe();

    ledger.tell(new LedgerProtocol.Submit(spec(job), planned, items(planned), probe.ref()));

    assertThat(probe.receiveMessage(TIMEOUT).getValue().added()).isEqualTo(planned);
    probe.expectNoMessage(java.time.Duration.ofMillis(200));
    LedgerProtocol.Recovered state = state(restart(ledger, job));
    assertThat(state.total()).isEqualTo(planned);
    assertThat(state.storedIds())
        .containsExactlyElementsOf(items(planned).stream().map(WorkItem::id).toList());
  }

  @Test
  void submit_whenAListedPlanWasRecordedInPart_recordsTheRestOrRefusesAChangedPlan() {
    String job = newJob();
    int planned = 2 * ITEMS_PER_WRITE;
    // What a coordinator that stopped after the first write leaves behind.
    TestProbe<Done> written = testKit.createTestProbe();
    testKit
        .spawn(
            new LedgerEventWriter(
                job,
                List.of(
                    new LedgerEvent.JobSubmitted(spec(job), planned, false),
                    new LedgerEvent.ItemsAdded(0, items(ITEMS_PER_WRITE))),
                written.ref()))
        .tell("write");
    written.receiveMessage(TIMEOUT);
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    assertThat(state(ledger).total()).isEqualTo(ITEMS_PER_WRITE);

    List<WorkItem<?>> changed = new ArrayList<>(items(planned));
    changed.set(ITEMS_PER_WRITE - 1, child("another"));
    assertThat(submit(ledger, spec(job), planned, changed).getError().getMessage())
        .contains("its plan changed");
    assertThat(submit(ledger, spec(job), planned, items(planned)).getValue().added())
        .isEqualTo(planned);

    assertThat(state(restart(ledger, job)).storedIds())
        .containsExactlyElementsOf(items(planned).stream().map(WorkItem::id).toList());
  }
}
