package io.troupe.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.ConfigFactory;
import io.troupe.actors.TroupeSystem;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.testing.CountLogic;
import io.troupe.persistence.testing.CountLogic.Count;
import io.troupe.persistence.testing.CountLogic.Value;
import io.troupe.sdk.WorkItem;
import java.util.BitSet;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every ledger event and snapshot survives Jackson CBOR, the journal's format; {@link IndexSet} in
 * both of its forms; and a snapshot read back rebuilds the state it was taken from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class LedgerSerializationTest {

  private final ActorTestKit testKit =
      ActorTestKit.create("ledger-serialization", TroupeSystem.config(ConfigFactory.empty()));
  private final SerializationTestKit serialization = new SerializationTestKit(testKit.system());

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  /** Round-trips a message; records holding arrays are compared field by field. */
  private <T> T roundTrip(T message) {
    T back = serialization.verifySerialization(message, false);
    assertThat(back).isInstanceOf(message.getClass());
    assertThat(back).usingRecursiveComparison().isEqualTo(message);
    return back;
  }

  private static WorkItem<?> item(String id, long value) {
    return new WorkItem<>(id, "count", new Value(value));
  }

  private static final JobSpec SPEC = new JobSpec("j", "count", List.of("--n", "3"));

  @Test
  void events_roundTrip() {
    List<LedgerEvent> events =
        List.of(
            new LedgerEvent.JobSubmitted(SPEC, 1_000_000, true),
            new LedgerEvent.JobSubmitted(SPEC, 2, false),
            new LedgerEvent.ItemsAdded(4, List.of(item("item-4", 5), item("item-5", 6))),
            new LedgerEvent.ItemsStarted(new int[] {0, 3, 7, 8}),
            new LedgerEvent.ItemsUnstarted(new int[] {3, 5}),
            new LedgerEvent.ItemsCompleted(new int[] {0, 3, 7, 8}, new Count(15, 4)),
            new LedgerEvent.ItemFailed(2, 1, "java.io.IOException: x"),
            new LedgerEvent.ItemQuarantined(2, "item-2", 3, "java.io.IOException: x"),
            new LedgerEvent.JobCompleted(
                "completed",
                JsonNodeFactory.instance.objectNode().put("sum", 1),
                JsonNodeFactory.instance.objectNode().put("wallMs", 5)),
            new LedgerEvent.JobCompleted("completed_with_failures", null, null));

    for (LedgerEvent event : events) {
      roundTrip(event);
    }
  }

  @Test
  void indexSet_roundTripsInBothForms() {
    BitSet run = new BitSet();
    run.set(3, 1_000_000);
    BitSet evens = new BitSet();
    for (int i = 0; i < 10_000; i += 2) {
      evens.set(i);
    }

    IndexSet ranges = roundTrip(IndexSet.of(run));
    IndexSet bitmap = roundTrip(IndexSet.of(evens));
    IndexSet empty = roundTrip(IndexSet.EMPTY);

    assertThat(ranges.ranges()).containsExactly(3, 1_000_000);
    assertThat(ranges.bits()).isNull();
    assertThat(ranges.toBitSet()).isEqualTo(run);
    assertThat(bitmap.ranges()).isNull();
    assertThat(bitmap.toBitSet()).isEqualTo(evens);
    assertThat(empty.toBitSet()).isEqualTo(new BitSet());
  }

  @Test
  void snapshot_roundTripsAndRestoresTheStateItWasTakenFrom() {
    LedgerState state = new LedgerState(CountLogic.RESOLVER);
    state.apply(new LedgerEvent.JobSubmitted(SPEC, 1_000, true));
    state.apply(new LedgerEvent.ItemsCompleted(new int[] {0, 900}, new Count(900, 900)));
    state.apply(new LedgerEvent.ItemsAdded(1_000, List.of(item("c-1000", 1), item("c-1001", 2))));
    state.apply(new LedgerEvent.ItemsCompleted(new int[] {1_000, 1_001}, new Count(1, 1)));
    int[] evens = new int[100];
    for (int i = 0; i < 50; i++) {
      evens[2 * i] = 900 + 2 * i;
      evens[2 * i + 1] = 901 + 2 * i;
    }
    state.apply(new LedgerEvent.ItemsStarted(evens));
    state.apply(new LedgerEvent.ItemFailed(902, 1, "java.io.IOException: x"));
    state.apply(new LedgerEvent.ItemFailed(903, 1, "java.io.IOException: y"));
    state.apply(new LedgerEvent.ItemQuarantined(903, "item-903", 2, "java.io.IOException: y"));

    LedgerSnapshot snapshot = state.snapshot();
    LedgerSnapshot back = roundTrip(snapshot);
    LedgerState restored = LedgerState.restore(back, CountLogic.RESOLVER);

    assertThat(snapshot.finished().ranges()).as("finished items are mostly one run").isNotNull();
    assertThat(snapshot.started().bits()).as("started items are scattered").isNotNull();
    assertThat(restored.reloading()).as("stored items are read back from the journal").isTrue();
    assertThat(restored.stored()).containsExactly(null, null);
    restored.reload(
        new LedgerEvent.ItemsAdded(1_000, List.of(item("c-1000", 1), item("c-1001", 2))));
    assertThat(restored.reloadEnded(null)).isNull();
    assertThat(restored.reloading()).isFalse();
    assertThat(restored.error()).isNull();
    assertThat(restored.spec()).isEqualTo(SPEC);
    assertThat(restored.logic()).isInstanceOf(CountLogic.class);
    assertThat(restored.planned()).isEqualTo(1_000);
    assertThat(restored.indexed()).isTrue();
    assertThat(restored.total()).isEqualTo(1_002);
    assertThat(restored.storedFrom()).isEqualTo(1_000);
    assertThat(restored.stored()).containsExactly(null, item("c-1001", 2));
    assertThat(restored.storedIds()).containsExactly("c-1000", "c-1001");
    assertThat(restored.finished()).isEqualTo(state.finished());
    assertThat(restored.started()).isEqualTo(state.started());
    assertThat(restored.failures()).isEqualTo(state.failures()).containsOnlyKeys(902);
    assertThat(restored.accumulator()).isEqualTo(new Count(901, 901));
    assertThat(restored.quarantined()).isEqualTo(state.quarantined()).hasSize(1);
    assertThat(restored.completed()).isEqualTo(901);
    assertThat(restored.failedAttempts()).isEqualTo(2);
    assertThat(restored.pendingCount()).isEqualTo(state.pendingCount()).isEqualTo(100);
    assertThat(restored.outcome()).isNull();
  }

  @Test
  void restore_whoseJournalLacksAStoredItem_saysWhichAndCannotGoOn() {
    LedgerState state = new LedgerState(CountLogic.RESOLVER);
    state.apply(new LedgerEvent.JobSubmitted(SPEC, 3, false));
    state.apply(new LedgerEvent.ItemsAdded(0, List.of(item("a", 1), item("b", 2))));
    state.apply(new LedgerEvent.ItemsAdded(2, List.of(item("c", 3))));
    LedgerState restored = LedgerState.restore(roundTrip(state.snapshot()), CountLogic.RESOLVER);

    assertThatThrownBy(restored::snapshot).isInstanceOf(IllegalStateException.class);
    restored.reload(new LedgerEvent.ItemsAdded(0, List.of(item("a", 1), item("b", 2))));

    assertThat(restored.reloadEnded(null))
        .isEqualTo(
            "the ledger's journal lacks the event that added item 2, which its snapshot counts");
    assertThat(restored.error()).startsWith("the ledger's journal lacks");
    assertThat(restored.reloading()).isFalse();
  }

  @Test
  void reload_ofAnIndexAddedTwice_keepsTheFirstItemAsReplayDoes() {
    LedgerState state = new LedgerState(CountLogic.RESOLVER);
    state.apply(new LedgerEvent.JobSubmitted(SPEC, 2, false));
    state.apply(new LedgerEvent.ItemsAdded(0, List.of(item("a", 1), item("b", 2))));
    LedgerState restored = LedgerState.restore(roundTrip(state.snapshot()), CountLogic.RESOLVER);

    restored.reload(new LedgerEvent.ItemsAdded(0, List.of(item("a", 1), item("b", 2))));
    restored.reload(new LedgerEvent.ItemsAdded(1, List.of(item("other", 3))));

    assertThat(restored.reloadEnded(null)).isNull();
    assertThat(restored.storedIds()).containsExactly("a", "b");
  }

  @Test
  void restore_whoseJournalCannotBeRead_saysWhy() {
    LedgerState state = new LedgerState(CountLogic.RESOLVER);
    state.apply(new LedgerEvent.JobSubmitted(SPEC, 1, false));
    state.apply(new LedgerEvent.ItemsAdded(0, List.of(item("a", 1))));
    LedgerState restored = LedgerState.restore(roundTrip(state.snapshot()), CountLogic.RESOLVER);

    assertThat(restored.reloadEnded(new java.sql.SQLException("connection refused")))
        .isEqualTo("the ledger's items could not be read from its journal: connection refused");
  }

  @Test
  void snapshot_ofAClosedJobAndOfAnEmptyLedger_roundTrip() {
    LedgerState closed = new LedgerState(CountLogic.RESOLVER);
    closed.apply(new LedgerEvent.JobSubmitted(SPEC, 2, false));
    closed.apply(new LedgerEvent.ItemsAdded(0, List.of(item("a", 1), item("b", 2))));
    closed.apply(new LedgerEvent.ItemsCompleted(new int[] {0, 2}, new Count(3, 2)));
    closed.apply(
        new LedgerEvent.JobCompleted(
            "completed", JsonNodeFactory.instance.objectNode().put("sum", 3), null));

    LedgerState restored = LedgerState.restore(roundTrip(closed.snapshot()), CountLogic.RESOLVER);
    LedgerSnapshot empty = roundTrip(new LedgerState(CountLogic.RESOLVER).snapshot());

    assertThat(restored.outcome().toString()).isEqualTo(closed.outcome().toString());
    assertThat(restored.reloading()).as("a closed job's items are not read back").isFalse();
    assertThat(restored.stored()).containsExactly(null, null);
    assertThat(restored.pendingCount()).isZero();
    assertThat(empty.spec()).isNull();
    assertThat(LedgerState.restore(empty, CountLogic.RESOLVER).total()).isZero();
  }
}
