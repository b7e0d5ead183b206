package io.troupe.cluster.internal;

import io.troupe.persistence.internal.IndexSet;
import io.troupe.persistence.internal.LedgerProtocol;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The outcomes a running job has not written to its ledger yet (internal API).
 *
 * <p>Implementation notes: owned by the coordinator, which runs ahead of its ledger: an outcome
 * counts as soon as it arrives and waits here for the next write. One write is in flight at a time;
 * outcomes arriving meanwhile go into the next one, so a job costs one database round trip per
 * batch of outcomes, not per item. A write that failed is taken again, from the same first entry
 * (the ledger drops what it already has). The items handed out for the first time are gathered as
 * one bit set and written as ranges with the next batch.
 */
final class LedgerWriter {

  private final List<LedgerProtocol.Entry> unwritten = new ArrayList<>();
  private BitSet started = new BitSet();
  private BitSet unstarted = new BitSet();
  private BitSet startedWriting;
  private BitSet unstartedWriting;
  private int writing;
  private int failures;

  /** Adds an outcome. */
  void add(LedgerProtocol.Entry entry) {
    unwritten.add(entry);
  }

  /** Notes items handed out for the first time. */
  void started(int[] indices) {
    for (int index : indices) {
      started.set(index);
      unstarted.clear(index);
    }
  }

  /**
   * Notes an item given back before any worker started it: if its start is not written yet it is
   * simply forgotten, else the ledger is told with the next write.
   */
  void unstarted(int index) {
    // Sent even if its start is not written yet: the ledger ignores an unstart of an item it does
    // not hold as started, and the start may be in a write in flight.
    started.clear(index);
    unstarted.set(index);
  }

  /** Returns how many outcomes wait for a write (not counting one in flight). */
  int waiting() {
    return unwritten.size() - writing;
  }

  /** Returns how many outcomes are not written yet, counting one write in flight. */
  int unwritten() {
    return unwritten.size();
  }

  /** Returns true while a write is in flight. */
  boolean isWriting() {
    return startedWriting != null;
  }

  /** Returns true when everything is written and no write is in flight. */
  boolean isEmpty() {
    return unwritten.isEmpty()
        && started.isEmpty()
        && unstarted.isEmpty()
        && startedWriting == null;
  }

  /**
   * Takes the next batch, unless a write is in flight.
   *
   * @param max most outcomes in it
   * @return the batch, empty if there is nothing to write or a write is in flight
   */
  List<LedgerProtocol.Entry> take(int max) {
    if (isWriting() || (unwritten.isEmpty() && started.isEmpty() && unstarted.isEmpty())) {
      return List.of();
    }
    int n = Math.min(max, unwritten.size());
    List<LedgerProtocol.Entry> batch = new ArrayList<>(unwritten.subList(0, n));
    writing = n;
    startedWriting = started;
    started = new BitSet();
    if (!startedWriting.isEmpty()) {
      batch.add(new LedgerProtocol.Started(IndexSet.ranges(startedWriting)));
    }
    if (!unstarted.isEmpty()) {
      // Taken with the write; a failed write sends them again (see failed()).
      unstartedWriting = unstarted;
      unstarted = new BitSet();
      batch.add(new LedgerProtocol.Unstarted(IndexSet.ranges(unstartedWriting)));
    }
    return batch;
  }

  /** Marks the write in flight as done. */
  void written() {
    unwritten.subList(0, writing).clear();
    writing = 0;
    startedWriting = null;
    unstartedWriting = null;
    failures = 0;
  }

  /**
   * Marks the write in flight as failed; its outcomes will be taken again.
   *
   * @return the writes failed in a row
   */
  int failed() {
    writing = 0;
    // Marks made since the failed write was taken are newer and win over the ones it held.
    if (startedWriting != null) {
      startedWriting.andNot(unstarted);
    }
    if (unstartedWriting != null) {
      unstartedWriting.andNot(started);
      unstarted.or(unstartedWriting);
      unstartedWriting = null;
    }
    if (startedWriting != null) {
      started.or(startedWriting);
      startedWriting = null;
    }
    return ++failures;
  }
}
