package io.troupe.persistence.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which outcomes of a {@link LedgerProtocol.Record} change the ledger (internal API): the command
 * side of its exactly-once guarantee. A batch's completion is taken all or nothing (its partial
 * combines every item of it); a failed attempt the ledger already counts is dropped; discovered
 * items are added only at the ledger's next index.
 */
final class RecordFilter {

  private RecordFilter() {}

  /**
   * The result of filtering.
   *
   * @param events the events to persist, in one atomic write
   * @param answer the answer to the coordinator
   */
  record Filtered(List<LedgerEvent> events, LedgerProtocol.Recorded answer) {}

  /**
   * Filters a batch of outcomes against the ledger's state.
   *
   * @param state the ledger's state
   * @param entries the outcomes, in the order they happened
   * @return the events to persist, and the answer
   */
  static Filtered filter(LedgerState state, List<LedgerProtocol.Entry> entries) {
    List<LedgerEvent> events = new ArrayList<>();
    BitSet finishedNow = new BitSet();
    BitSet startedNow = new BitSet();
    BitSet unstartedNow = new BitSet();
    Map<Integer, Integer> failedNow = new HashMap<>();
    int total = state.total();
    int ignored = 0;
    int starts = 0;
    boolean open = state.spec() != null && state.error() == null && state.outcome() == null;
    for (LedgerProtocol.Entry entry : entries) {
      if (entry instanceof LedgerProtocol.Started s) {
        starts++;
        if (open) {
          IndexSet.addRanges(s.ranges(), startedNow);
        }
        continue;
      }
      if (entry instanceof LedgerProtocol.Unstarted u) {
        starts++;
        if (open) {
          IndexSet.addRanges(u.ranges(), unstartedNow);
        }
        continue;
      }
      if (!open) {
        ignored++;
      } else if (entry instanceof LedgerProtocol.Done done) {
        // All or nothing: the partial combines every item of the batch. Items it discovered at an
        // index past the ledger's next one would leave a gap: the batch must wait for the one
        // before it (which the coordinator resends first).
        if (!pendingNow(state, total, finishedNow, done.ranges())
            || (!done.newItems().isEmpty() && done.firstNew() > total)) {
          ignored++;
          continue;
        }
        IndexSet.addRanges(done.ranges(), finishedNow);
        events.add(new LedgerEvent.ItemsCompleted(done.ranges(), done.partial()));
        if (!done.newItems().isEmpty() && done.firstNew() == total) {
          events.add(new LedgerEvent.ItemsAdded(total, List.copyOf(done.newItems())));
          total += done.newItems().size();
        }
      } else if (entry instanceof LedgerProtocol.Failed failed) {
        // A batch resent after a write that timed out but went through carries attempts the
        // ledger already counts; counting them again would quarantine the item early.
        int counted =
            state.failures().getOrDefault(failed.index(), 0)
                + failedNow.getOrDefault(failed.index(), 0);
        if (!pendingNow(state, total, finishedNow, failed.index()) || failed.attempt() <= counted) {
          ignored++;
          continue;
        }
        failedNow.merge(failed.index(), 1, Integer::sum);
        events.add(new LedgerEvent.ItemFailed(failed.index(), failed.attempt(), failed.reason()));
      } else if (entry instanceof LedgerProtocol.GaveUp gaveUp) {
        if (!pendingNow(state, total, finishedNow, gaveUp.index())) {
          ignored++;
          continue;
        }
        finishedNow.set(gaveUp.index());
        events.add(
            new LedgerEvent.ItemQuarantined(
                gaveUp.index(), gaveUp.item(), gaveUp.attempts(), gaveUp.reason()));
      }
    }
    // After the outcomes of the same batch: an item it completes is not marked started.
    startedNow.andNot(finishedNow);
    startedNow.andNot(state.finished());
    startedNow.andNot(state.started());
    // A writer never sends an item both ways in one batch; only items recorded as started and
    // still pending are taken back.
    startedNow.andNot(unstartedNow);
    unstartedNow.and(state.started());
    unstartedNow.andNot(finishedNow);
    if (!startedNow.isEmpty()) {
      events.add(new LedgerEvent.ItemsStarted(IndexSet.ranges(startedNow)));
    }
    if (!unstartedNow.isEmpty()) {
      events.add(new LedgerEvent.ItemsUnstarted(IndexSet.ranges(unstartedNow)));
    }
    return new Filtered(
        events, new LedgerProtocol.Recorded(entries.size() - ignored - starts, ignored));
  }

  /**
   * True if every item of the ranges exists and neither the state nor this batch finished it. The
   * ranges must ascend without overlapping: an item named twice would be counted twice.
   */
  private static boolean pendingNow(LedgerState state, int total, BitSet now, int[] ranges) {
    if (ranges.length == 0) {
      return false;
    }
    int previousTo = 0;
    for (int i = 0; i + 1 < ranges.length; i += 2) {
      int from = ranges[i];
      int to = ranges[i + 1];
      if (from < previousTo || to > total || from >= to) {
        return false;
      }
      previousTo = to;
      int done = state.finished().nextSetBit(from);
      int doneNow = now.nextSetBit(from);
      if ((done >= 0 && done < to) || (doneNow >= 0 && doneNow < to)) {
        return false;
      }
    }
    return true;
  }

  private static boolean pendingNow(LedgerState state, int total, BitSet now, int index) {
    return index >= 0 && index < total && !state.finished().get(index) && !now.get(index);
  }
}
