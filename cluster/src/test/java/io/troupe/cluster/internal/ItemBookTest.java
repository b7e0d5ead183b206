package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.sdk.ItemPlan;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The coordinator's book of a job's items: hand-out order, finishing, discovery, recovery. */
final class ItemBookTest {

  private record Part(int n) implements TroupeMessage {}

  private static WorkItem<Part> item(int i) {
    return new WorkItem<>("item-" + i, "work", new Part(i));
  }

  private static ItemPlan<Part> indexed(int n) {
    return ItemPlan.indexed(n, ItemBookTest::item);
  }

  private static ItemPlan<Part> listed(int n) {
    return ItemPlan.of(IntStream.range(0, n).mapToObj(ItemBookTest::item).toList());
  }

  @Test
  void take_handsOutEveryIndexOnceInOrder_inBatchesOfAtMostTheSize() {
    ItemBook book = ItemBook.of(indexed(10));

    assertThat(book.take(4)).containsExactly(0, 1, 2, 3);
    assertThat(book.take(4)).containsExactly(4, 5, 6, 7);
    assertThat(book.take(4)).containsExactly(8, 9);
    assertThat(book.take(4)).isEmpty();
    assertThat(book.hasWaiting()).isFalse();
    assertThat(book.pendingCount()).isEqualTo(10);
  }

  @Test
  void take_givesBackItemsFirst_skipsFinishedOnes_andSendsRetriesAlone() {
    ItemBook book = ItemBook.of(listed(6));
    int[] first = book.take(3);
    assertThat(book.finish(first[0])).isTrue();
    assertThat(book.finish(first[0])).as("finished once only").isFalse();
    book.giveBack(first[0]); // finished meanwhile: skipped when taken
    book.giveBack(first[2]);
    book.failed(first[1]);
    book.giveBack(first[1]); // a retry: goes alone

    assertThat(book.take(5)).containsExactly(1);
    assertThat(book.take(5)).containsExactly(2, 3, 4, 5);
  }

  @Test
  void giveBackAlone_sendsTheItemInABatchOfItsOwnOnce() {
    ItemBook book = ItemBook.of(indexed(4));
    int[] all = book.take(4);
    book.giveBackAlone(all[1]);
    book.giveBackAlone(all[0]);

    assertThat(book.take(4)).containsExactly(0);
    assertThat(book.take(4)).containsExactly(1);
    assertThat(book.take(4)).isEmpty();
  }

  @Test
  void discover_addsOnlyUnknownIds_upToTheCap_includingIdsOfFinishedItems() {
    ItemBook book = ItemBook.of(listed(2));
    book.take(2);
    book.finishAll(new int[] {0}, Map.of("work", 1));

    ItemBook.Added added =
        book.discover(List.of(item(0), item(1), item(7), item(7), item(8), item(9)), /* max */ 4);

    assertThat(added.items()).extracting(WorkItem::id).containsExactly("item-7", "item-8");
    assertThat(added.dropped()).isEqualTo(1);
    assertThat(book.total()).isEqualTo(4);
    assertThat(book.item(2).id()).isEqualTo("item-7");
    assertThat(book.take(5)).containsExactly(2, 3);
  }

  @Test
  void pendingByStage_countsItemsNotFinished() {
    ItemBook book = ItemBook.of(indexed(5));
    book.finishAll(new int[] {0, 1}, Map.of("work", 2));
    book.discover(List.of(new WorkItem<>("x", "other", new Part(9))), Long.MAX_VALUE);

    Map<String, long[]> counts = book.pendingByStage();

    assertThat(counts.get("work")[0]).isEqualTo(3);
    assertThat(counts.get("other")[0]).isEqualTo(1);
  }

  @Test
  void recovered_book_handsOutOnlyPendingItems_andKnowsWhatAnEarlierRunStarted() {
    BitSet finished = new BitSet();
    finished.set(0, 3);
    finished.set(5);
    BitSet started = new BitSet();
    started.set(3);
    List<WorkItem<?>> stored = new ArrayList<>();
    stored.add(null); // index 6, discovered and finished: held by id only
    stored.add(item(70));
    finished.set(6);
    ItemBook book =
        new ItemBook(
            indexed(6), stored, List.of("item-60", "item-70"), 6, finished, Map.of(4, 2), started);

    assertThat(book.total()).isEqualTo(8);
    assertThat(book.pendingCount()).isEqualTo(3);
    assertThat(book.take(10)).as("the cursor stops before a retry").containsExactly(3);
    assertThat(book.take(10)).as("a retry alone").containsExactly(4);
    assertThat(book.take(10)).containsExactly(7);
    assertThat(book.takeStartedBefore(3)).isTrue();
    assertThat(book.takeStartedBefore(3)).isFalse();
    assertThat(book.discover(List.of(item(60), item(61)), Long.MAX_VALUE).items())
        .as("the id of a finished discovered item is still known")
        .extracting(WorkItem::id)
        .containsExactly("item-61");
  }
}
