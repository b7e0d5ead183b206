package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.persistence.internal.LedgerProtocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outcomes waiting for the ledger: one write in flight, resent whole when it fails. */
final class LedgerWriterTest {

  private static LedgerProtocol.Entry failed(int index) {
    return new LedgerProtocol.Failed(index, 1, "boom");
  }

  @Test
  void take_batchesWaitingOutcomes_withTheItemsStartedSinceTheLastWrite_asRanges() {
    LedgerWriter writer = new LedgerWriter();
    writer.add(failed(1));
    writer.add(failed(2));
    writer.started(new int[] {0, 1, 2, 5});

    List<LedgerProtocol.Entry> batch = writer.take(10);

    assertThat(batch).hasSize(3);
    assertThat(((LedgerProtocol.Started) batch.get(2)).ranges()).containsExactly(0, 3, 5, 6);
    assertThat(writer.isWriting()).isTrue();
    assertThat(writer.take(10)).as("one write in flight").isEmpty();
  }

  @Test
  void failed_takesTheSameOutcomesAgain_andWritten_clearsThem() {
    LedgerWriter writer = new LedgerWriter();
    writer.add(failed(1));
    writer.started(new int[] {1});
    writer.take(10);
    writer.add(failed(2));

    assertThat(writer.failed()).isEqualTo(1);
    List<LedgerProtocol.Entry> again = writer.take(10);
    assertThat(again).hasSize(3).startsWith(failed(1), failed(2));
    assertThat(writer.waiting()).isZero();

    writer.written();
    assertThat(writer.isEmpty()).isTrue();
    assertThat(writer.unwritten()).isZero();
  }

  @Test
  void unstarted_forgetsAStartNotWrittenYet_andTellsTheLedgerOfOneWritten() {
    LedgerWriter writer = new LedgerWriter();
    writer.started(new int[] {1, 2});
    writer.unstarted(2);
    List<LedgerProtocol.Entry> first = writer.take(10);
    assertThat(first).hasSize(1);
    assertThat(((LedgerProtocol.Started) first.get(0)).ranges()).containsExactly(1, 2);
    writer.written();

    writer.unstarted(1);
    assertThat(writer.isEmpty()).as("a give-back waits to be written").isFalse();
    List<LedgerProtocol.Entry> second = writer.take(10);
    assertThat(second).hasSize(1);
    assertThat(((LedgerProtocol.Unstarted) second.get(0)).ranges()).containsExactly(1, 2);

    // A failed write sends it again; handing the item out again since cancels it.
    writer.failed();
    writer.started(new int[] {1});
    List<LedgerProtocol.Entry> third = writer.take(10);
    assertThat(third).hasSize(1);
    assertThat(((LedgerProtocol.Started) third.get(0)).ranges()).containsExactly(1, 2);
    writer.written();
    assertThat(writer.isEmpty()).isTrue();
  }

  @Test
  void take_respectsTheBatchSize() {
    LedgerWriter writer = new LedgerWriter();
    for (int i = 0; i < 5; i++) {
      writer.add(failed(i));
    }

    assertThat(writer.take(2)).hasSize(2);
    writer.written();
    assertThat(writer.waiting()).isEqualTo(3);
  }
}
