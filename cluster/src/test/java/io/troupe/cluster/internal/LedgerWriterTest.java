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
  void unstarted_isWrittenWithTheNextBatch_andTheNewerMarkWins() {
    LedgerWriter writer = new LedgerWriter();
    writer.started(new int[] {1, 2});
    writer.unstarted(2);
    List<LedgerProtocol.Entry> first = writer.take(10);
    assertThat(first).hasSize(2);
    assertThat(((LedgerProtocol.Started) first.get(0)).ranges()).containsExactly(1, 2);
    assertThat(((LedgerProtocol.Unstarted) first.get(1)).ranges()).containsExactly(2, 3);
    writer.written();
    assertThat(writer.isEmpty()).isTrue();

    // Given back while the write of its start is in flight, which then fails: the give-back wins.
    writer.started(new int[] {4});
    writer.take(10);
    writer.unstarted(4);
    writer.failed();
    List<LedgerProtocol.Entry> second = writer.take(10);
    assertThat(second).hasSize(1);
    assertThat(((LedgerProtocol.Unstarted) second.get(0)).ranges()).containsExactly(4, 5);

    // That write fails too, and the item goes out again meanwhile: the new start wins.
    writer.started(new int[] {4});
    writer.failed();
    List<LedgerProtocol.Entry> third = writer.take(10);
    assertThat(third).hasSize(1);
    assertThat(((LedgerProtocol.Started) third.get(0)).ranges()).containsExactly(4, 5);
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
