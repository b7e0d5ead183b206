package io.troupe.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.persistence.JobSpec;
import io.troupe.persistence.testing.CountLogic;
import io.troupe.persistence.testing.CountLogic.Count;
import io.troupe.sdk.QuarantinedItem;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/**
 * The ledger's behaviour on a real journal with a small snapshot interval: recording outcomes,
 * discovered items, closing, and (inherited from {@link LedgerRecoveryContract}) recovering; {@link
 * H2JobLedgerTest} and {@link PostgresJobLedgerTest} run it on each database. Items and partials
 * are those of {@link LedgerFixture}: item {@code i} contributes {@code i + 1}.
 */
abstract class JobLedgerContract extends LedgerRecoveryContract {

  @Test
  void record_whenCompletionsAreDuplicatedAndRedelivered_combinesEachPartialOnce() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitListed(ledger, job, 4);
    List<LedgerProtocol.Entry> batch = List.of(done(0, 2), doneItem(2), doneItem(2));

    LedgerProtocol.Recorded first = record(ledger, batch);
    LedgerProtocol.Recorded resentAfterTimeout = record(ledger, batch);
    LedgerProtocol.Recorded redelivered = record(ledger, done(0, 2), doneItem(3), doneItem(2));
    ActorRef<LedgerProtocol.Command> recovered = restart(ledger, job);
    LedgerProtocol.Recorded resentAfterRestart = record(recovered, batch);

    assertThat(first).isEqualTo(new LedgerProtocol.Recorded(2, 1));
    assertThat(resentAfterTimeout).isEqualTo(new LedgerProtocol.Recorded(0, 3));
    assertThat(redelivered).isEqualTo(new LedgerProtocol.Recorded(1, 2));
    assertThat(resentAfterRestart).isEqualTo(new LedgerProtocol.Recorded(0, 3));
    assertThat(accumulated(recovered).getValue().accumulator()).isEqualTo(new Count(sum(0, 4), 4));
    assertThat(state(recovered).progress()).isEqualTo(new LedgerProtocol.Progress(4, 4, 0, 0));
  }

  @Test
  void record_whenADoneNamesAnItemThatIsNotPending_ignoresItWhole() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitListed(ledger, job, 6);
    record(ledger, doneItem(2));

    LedgerProtocol.Recorded overlapping = record(ledger, done(0, 3));
    LedgerProtocol.Recorded secondRange = record(ledger, done(0, 1, 2, 4));
    LedgerProtocol.Recorded unknown = record(ledger, done(4, 7));
    LedgerProtocol.Recorded empty = record(ledger, done());
    // The second Done names item 1, which the first completed in the same batch.
    LedgerProtocol.Recorded sameBatch = record(ledger, done(0, 2), done(1, 2, 3, 4));

    assertThat(List.of(overlapping, secondRange, unknown, empty))
        .containsOnly(new LedgerProtocol.Recorded(0, 1));
    assertThat(sameBatch).isEqualTo(new LedgerProtocol.Recorded(1, 1));
    LedgerProtocol.Recovered now = state(ledger);
    assertThat(indices(now.finished())).containsExactly(0, 1, 2);
    assertThat(now.progress().completed()).isEqualTo(3);
    assertThat(accumulated(ledger).getError()).hasMessage("3 item(s) are still pending");

    assertThat(record(ledger, done(3, 6))).isEqualTo(new LedgerProtocol.Recorded(1, 0));
    assertThat(accumulated(ledger).getValue().accumulator()).isEqualTo(new Count(sum(0, 6), 6));
  }

  @Test
  void record_whenADonesRangesOverlapOrDescend_ignoresItWhole() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitIndexed(ledger, job, 3);

    // Combined, its partial would count item 1 twice, and items pending would seem finished.
    LedgerProtocol.Recorded repeated = record(ledger, done(0, 2, 1, 3));
    LedgerProtocol.Recorded twice = record(ledger, done(0, 1, 0, 1));
    LedgerProtocol.Recorded descending = record(ledger, done(2, 3, 0, 1));

    assertThat(List.of(repeated, twice, descending))
        .containsOnly(new LedgerProtocol.Recorded(0, 1));
    assertThat(state(ledger).progress()).isEqualTo(new LedgerProtocol.Progress(3, 0, 0, 0));
    assertThat(accumulated(ledger).getError()).hasMessage("3 item(s) are still pending");
  }

  @Test
  void record_whenDoneArrivesAfterQuarantine_ignoresIt() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitListed(ledger, job, 2);

    LedgerProtocol.Recorded first = record(ledger, failed(0, 1), gaveUp(0, 2), doneItem(1));
    LedgerProtocol.Recorded late = record(ledger, doneItem(0));
    LedgerProtocol.Recorded lateBatch = record(ledger, done(0, 2));
    LedgerProtocol.Recorded lateFailure = record(ledger, failed(0, 2));

    assertThat(first).isEqualTo(new LedgerProtocol.Recorded(3, 0));
    assertThat(List.of(late, lateBatch, lateFailure))
        .containsOnly(new LedgerProtocol.Recorded(0, 1));
    LedgerProtocol.Accumulated result = accumulated(ledger).getValue();
    assertThat(result.accumulator()).isEqualTo(new Count(2, 1));
    assertThat(result.quarantined())
        .containsExactly(new QuarantinedItem("item-0", "java.io.IOException: gave up"));
    assertThat(state(ledger).progress()).isEqualTo(new LedgerProtocol.Progress(2, 1, 1, 1));
    assertThat(close(ledger, "completed_with_failures", 2).getValue().status())
        .isEqualTo("completed_with_failures");
  }

  @Test
  void record_whenWorkersDiscoverItems_addsThemAtTheNextIndexOnly() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitListed(ledger, job, 2);

    LedgerProtocol.Recorded found =
        record(ledger, discovering(new int[] {0, 1}, 2, List.of(child("a"), child("b"))));
    // A Done from a node that saw an older total: its items count, its discoveries are not added.
    LedgerProtocol.Recorded stale =
        record(ledger, discovering(new int[] {1, 2}, 3, List.of(child("c"))));

    assertThat(List.of(found, stale)).containsOnly(new LedgerProtocol.Recorded(1, 0));
    LedgerProtocol.Recovered now = state(ledger);
    assertThat(now.total()).isEqualTo(4);
    assertThat(now.storedFrom()).isZero();
    assertThat(now.storedIds()).containsExactly("item-0", "item-1", "a", "b");
    assertThat(ids(now.stored())).containsExactly(null, null, "a", "b");
    assertThat(now.progress()).isEqualTo(new LedgerProtocol.Progress(4, 2, 0, 0));
  }

  @Test
  void record_whenADiscoveringDoneIsResent_addsItsItemsOnce() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitIndexed(ledger, job, 1);
    LedgerProtocol.Done discovery =
        discovering(new int[] {0, 1}, 1, List.of(child("a"), child("b")));

    LedgerProtocol.Recorded first = record(ledger, discovery);
    LedgerProtocol.Recorded resent = record(ledger, discovery);
    // Item a rediscovers both at index 1, which the ledger has already given to them.
    LedgerProtocol.Recorded rediscovered =
        record(ledger, discovering(new int[] {1, 2}, 1, List.of(child("a"), child("b"))));
    LedgerProtocol.Recovered now = state(restart(ledger, job));

    assertThat(first).isEqualTo(new LedgerProtocol.Recorded(1, 0));
    assertThat(resent).isEqualTo(new LedgerProtocol.Recorded(0, 1));
    assertThat(rediscovered).isEqualTo(new LedgerProtocol.Recorded(1, 0));
    assertThat(now.total()).isEqualTo(3);
    assertThat(now.storedFrom()).isEqualTo(1);
    assertThat(now.storedIds()).containsExactly("a", "b");
    assertThat(ids(now.stored())).containsExactly(null, "b");
    assertThat(now.progress()).isEqualTo(new LedgerProtocol.Progress(3, 2, 0, 0));
  }

  @Test
  void record_whenAnItemIsDiscoveredAndCompletedInOneBatch_countsIt() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitIndexed(ledger, job, 1);

    LedgerProtocol.Recorded recorded =
        record(ledger, discovering(new int[] {0, 1}, 1, List.of(child("child"))), doneItem(1));

    assertThat(recorded).isEqualTo(new LedgerProtocol.Recorded(2, 0));
    assertThat(accumulated(ledger).getValue().accumulator()).isEqualTo(new Count(1 + 2, 2));
    assertThat(close(ledger, "completed", 3).isSuccess()).isTrue();
  }

  @Test
  void record_whenAnItemIsCompletedBeforeTheDoneThatDiscoversIt_ignoresTheCompletion() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitIndexed(ledger, job, 1);

    LedgerProtocol.Recorded recorded =
        record(ledger, doneItem(1), discovering(new int[] {0, 1}, 1, List.of(child("child"))));

    assertThat(recorded).isEqualTo(new LedgerProtocol.Recorded(1, 1));
    assertThat(close(ledger, "completed", 1).getError()).hasMessage("1 item(s) are still pending");
  }

  @Test
  void closeAndGetAccumulated_whenItemsArePending_refuseUntilNoneIs() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitListed(ledger, job, 3);
    record(ledger, doneItem(0));

    assertThat(close(ledger, "completed", 1).getError()).hasMessage("2 item(s) are still pending");
    assertThat(accumulated(ledger).getError()).hasMessage("2 item(s) are still pending");

    record(ledger, done(1, 3));
    LedgerProtocol.Accumulated result = accumulated(ledger).getValue();
    assertThat(result.accumulator()).isEqualTo(new Count(6, 3));
    assertThat(result.quarantined()).isEmpty();
    assertThat(result.logic()).isInstanceOf(CountLogic.class);
    LedgerEvent.JobCompleted closed = close(ledger, "completed", 6).getValue();
    assertThat(closed.status()).isEqualTo("completed");
    assertThat(closed.result().get("sum").asLong()).isEqualTo(6);
    assertThat(closed.report().get("wallMs").asLong()).isEqualTo(7);
  }

  @Test
  void commands_whenNothingWasSubmitted_areRefusedOrIgnored() {
    ActorRef<LedgerProtocol.Command> ledger = ledger(newJob());

    assertThat(record(ledger, started(0, 1), doneItem(0)))
        .isEqualTo(new LedgerProtocol.Recorded(0, 1));
    assertThat(close(ledger, "completed", 0).getError())
        .hasMessage("no job was submitted under this id");
    assertThat(accumulated(ledger).getError()).hasMessage("no job was submitted under this id");
    assertThat(state(ledger).spec()).isNull();
  }

  @Test
  void record_whenFailedAttemptsAreResentAfterATimeout_countsEachOnce() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitListed(ledger, job, 2);

    record(ledger, failed(0, 1));
    LedgerProtocol.Recorded resent = record(ledger, failed(0, 1));
    record(ledger, failed(0, 2));
    LedgerProtocol.Recorded sameBatch = record(ledger, failed(1, 1), failed(1, 1));
    ActorRef<LedgerProtocol.Command> recovered = restart(ledger, job);
    LedgerProtocol.Recorded resentAfterRestart = record(recovered, failed(0, 2), failed(1, 1));

    assertThat(resent).isEqualTo(new LedgerProtocol.Recorded(0, 1));
    assertThat(sameBatch).isEqualTo(new LedgerProtocol.Recorded(1, 1));
    assertThat(resentAfterRestart).isEqualTo(new LedgerProtocol.Recorded(0, 2));
    LedgerProtocol.Recovered state = state(recovered);
    assertThat(state.failures()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 2, 1, 1));
    assertThat(state.progress().failedAttempts()).isEqualTo(3);
  }

  @Test
  void submit_whenRepeated_isIdempotent() throws Exception {
    String listed = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(listed);
    assertThat(submitListed(ledger, listed, 3)).isEqualTo(new LedgerProtocol.Progress(3, 0, 0, 0));
    record(ledger, doneItem(0));
    long events = lastEventSeq(listed);
    String indexed = newJob();
    ActorRef<LedgerProtocol.Command> other = ledger(indexed);
    submitIndexed(other, indexed, 5);

    ActorRef<LedgerProtocol.Command> recovered = restart(ledger, listed);
    LedgerProtocol.Progress again = submitListed(recovered, listed, 3);
    LedgerProtocol.Progress indexedAgain = submitIndexed(other, indexed, 5);

    assertThat(again).isEqualTo(new LedgerProtocol.Progress(3, 1, 0, 0));
    assertThat(lastEventSeq(listed)).isEqualTo(events);
    assertThat(state(recovered).storedIds()).isEqualTo(ids(items(3)));
    assertThat(indexedAgain).isEqualTo(new LedgerProtocol.Progress(5, 0, 0, 0));
    assertThat(lastEventSeq(indexed)).isEqualTo(1);
    assertThat(submit(recovered, new JobSpec(listed, "other", List.of()), 3, items(3)).getError())
        .hasMessage("job " + listed + " already exists for pipeline count");
  }

  @Test
  void close_isRememberedAcrossRestarts() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitIndexed(ledger, job, 1);
    record(ledger, doneItem(0));
    LedgerEvent.JobCompleted first = close(ledger, "completed", 1).getValue();

    ActorRef<LedgerProtocol.Command> recovered = restart(ledger, job);

    // JSON numbers come back as the smallest fitting node type, so compare the JSON text.
    assertThat(state(recovered).outcome().toString()).isEqualTo(first.toString());
    assertThat(close(recovered, "completed_with_failures", 99).getValue().toString())
        .isEqualTo(first.toString());
    assertThat(record(recovered, failed(0, 1))).isEqualTo(new LedgerProtocol.Recorded(0, 1));
  }

  @Test
  void cancel_whenItemsArePending_endsTheJobForGoodAcrossRestarts() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitListed(ledger, job, 4);
    record(ledger, done(0, 2));

    LedgerEvent.JobCompleted canceled = cancel(ledger).getValue();
    ActorRef<LedgerProtocol.Command> recovered = restart(ledger, job);

    assertThat(canceled.status()).isEqualTo(LedgerEvent.CANCELED);
    assertThat(canceled.result()).isNull();
    LedgerProtocol.Recovered after = state(recovered);
    assertThat(after.outcome().status()).isEqualTo(LedgerEvent.CANCELED);
    assertThat(after.progress()).isEqualTo(new LedgerProtocol.Progress(4, 2, 0, 0));
    // Nothing more is taken, and neither a second cancel nor a close replaces the outcome.
    assertThat(record(recovered, done(2, 4))).isEqualTo(new LedgerProtocol.Recorded(0, 1));
    assertThat(cancel(recovered).getValue().toString()).isEqualTo(after.outcome().toString());
    assertThat(close(recovered, "completed", 10).getValue().status())
        .isEqualTo(LedgerEvent.CANCELED);
  }

  @Test
  void cancel_whenTheJobIsClosedOrUnknown_keepsTheOutcomeOrRefuses() {
    String job = newJob();
    ActorRef<LedgerProtocol.Command> ledger = ledger(job);
    submitIndexed(ledger, job, 1);
    record(ledger, doneItem(0));
    close(ledger, "completed", 1);

    assertThat(cancel(ledger).getValue().status()).isEqualTo("completed");
    assertThat(cancel(ledger(newJob())).getError())
        .hasMessage("no job was submitted under this id");
  }
}
