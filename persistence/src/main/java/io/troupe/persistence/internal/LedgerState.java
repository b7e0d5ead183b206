package io.troupe.persistence.internal;

import io.troupe.persistence.JobSpec;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.QuarantinedItem;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The live state of one job ledger (internal API).
 *
 * <p>Implementation notes: mutable and owned by the ledger actor; only its event handler calls
 * {@link #apply}, on the actor's thread, both while recording and while replaying. Items are
 * indices (see {@link LedgerEvent}): finished and started items are bits, so a job costs a few bits
 * per item here, plus the items the ledger must store (a plan that is not indexed, discovered
 * items), each dropped once it is finished but for its id, which a job that discovers items needs
 * to recognise an item it had. Applying is idempotent per item: an outcome for an item that is not
 * pending changes nothing, and items added at an index already taken are skipped; so even a journal
 * holding a duplicate (which the command side already filters) rebuilds the same state. Snapshots
 * are taken through {@link #snapshot}, a deep copy, because the accumulator is merged in place;
 * they hold no stored item, so a state restored from one has its stored items and their ids missing
 * ({@link #reloading}) until the ledger has read them back from the journal's {@link
 * LedgerEvent.ItemsAdded} events through {@link #reload} and {@link #reloadEnded}.
 */
public final class LedgerState {

  private final Function<JobSpec, Combiner<TroupeMessage>> logicFor;
  private JobSpec spec;
  private Combiner<TroupeMessage> logic;
  private String logicError;
  private int planned;
  private boolean indexed;
  private int total;
  private int storedFrom;
  private final ArrayList<WorkItem<?>> stored = new ArrayList<>();
  private final ArrayList<String> storedIds = new ArrayList<>();
  private final BitSet finished = new BitSet();
  private final BitSet started = new BitSet();
  private int finishedCount;
  private final Map<Integer, Integer> failures = new HashMap<>();
  private TroupeMessage accumulator;
  private final List<QuarantinedItem> quarantined = new ArrayList<>();
  private long completed;
  private long failedAttempts;
  private LedgerEvent.JobCompleted outcome;
  private int reloadEnd;
  private String reloadError;

  /**
   * Creates the state of a ledger that has recorded nothing.
   *
   * @param logicFor resolves a job's combine logic from its spec
   */
  public LedgerState(Function<JobSpec, Combiner<TroupeMessage>> logicFor) {
    this.logicFor = logicFor;
  }

  /** Rebuilds the state from a snapshot. */
  public static LedgerState restore(
      LedgerSnapshot snapshot, Function<JobSpec, Combiner<TroupeMessage>> logicFor) {
    LedgerState state = new LedgerState(logicFor);
    if (snapshot.spec() != null) {
      state.spec = snapshot.spec();
      state.resolveLogic();
    }
    state.planned = snapshot.planned();
    state.indexed = snapshot.indexed();
    state.total = snapshot.total();
    state.storedFrom = snapshot.indexed() ? snapshot.planned() : 0;
    for (int i = state.storedFrom; i < state.total; i++) {
      state.stored.add(null);
      state.storedIds.add(null);
    }
    state.finished.or(snapshot.finished().toBitSet());
    state.finishedCount = state.finished.cardinality();
    state.started.or(snapshot.started().toBitSet());
    state.failures.putAll(snapshot.failures());
    state.accumulator = snapshot.accumulator();
    state.quarantined.addAll(snapshot.quarantined());
    state.completed = snapshot.completed();
    state.failedAttempts = snapshot.failedAttempts();
    state.outcome = snapshot.outcome();
    // A closed job's items are never handed out again: they are not read back.
    state.reloadEnd = state.outcome == null ? state.total : state.storedFrom;
    return state;
  }

  /** Returns an immutable deep copy for a snapshot. */
  public LedgerSnapshot snapshot() {
    if (reloading()) {
      throw new IllegalStateException("a snapshot of a ledger whose stored items are not read yet");
    }
    return new LedgerSnapshot(
        spec,
        planned,
        indexed,
        total,
        IndexSet.of(finished),
        IndexSet.of(started),
        Map.copyOf(failures),
        accumulator == null || logic == null ? accumulator : logic.copy(accumulator),
        List.copyOf(quarantined),
        completed,
        failedAttempts,
        outcome);
  }

  /** Applies one event; returns this state. */
  public LedgerState apply(LedgerEvent event) {
    if (event instanceof LedgerEvent.JobSubmitted e) {
      spec = e.spec();
      planned = e.planned();
      indexed = e.indexed();
      total = indexed ? planned : 0;
      storedFrom = indexed ? planned : 0;
      resolveLogic();
      accumulator = logic == null ? null : logic.zero();
    } else if (event instanceof LedgerEvent.ItemsAdded e) {
      // Items at indices already taken were added before (a resent batch): skip them.
      for (int i = Math.max(0, total - e.first()); i < e.items().size(); i++) {
        stored.add(e.items().get(i));
        storedIds.add(e.items().get(i).id());
        total++;
      }
    } else if (event instanceof LedgerEvent.ItemsStarted e) {
      BitSet now = IndexSet.addRanges(e.ranges(), new BitSet());
      now.andNot(finished);
      started.or(now);
    } else if (event instanceof LedgerEvent.ItemsUnstarted e) {
      started.andNot(IndexSet.addRanges(e.ranges(), new BitSet()));
    } else if (event instanceof LedgerEvent.ItemsCompleted e) {
      if (allPending(e.ranges())) {
        for (int i = 0; i + 1 < e.ranges().length; i += 2) {
          for (int index = e.ranges()[i]; index < e.ranges()[i + 1]; index++) {
            finish(index);
          }
        }
        completed += IndexSet.count(e.ranges());
        if (logic != null) {
          accumulator = logic.merge(accumulator, e.partial());
        }
      }
    } else if (event instanceof LedgerEvent.ItemFailed e) {
      if (isPending(e.index())) {
        failures.merge(e.index(), 1, Integer::sum);
        failedAttempts++;
      }
    } else if (event instanceof LedgerEvent.ItemQuarantined e) {
      if (isPending(e.index())) {
        finish(e.index());
        quarantined.add(new QuarantinedItem(e.item(), e.reason()));
      }
    } else if (event instanceof LedgerEvent.JobCompleted e) {
      outcome = e;
    }
    return this;
  }

  /**
   * Returns true while stored items of a state restored from a snapshot are missing: until {@link
   * #reloadEnded}. Never for a closed job, whose items are not needed any more (their slots stay
   * {@code null}, ids included).
   */
  public boolean reloading() {
    return reloadEnd > storedFrom;
  }

  /** Returns the index before which stored items are being read back. */
  public int reloadingBefore() {
    return reloadEnd;
  }

  /**
   * Takes back the stored items of an {@code ItemsAdded} event read from the journal: their ids,
   * and the items still pending. Items at or after the snapshot's end are skipped: the events
   * replayed after the snapshot added those. An index read twice keeps its first item, as {@link
   * #apply} does.
   */
  public void reload(LedgerEvent.ItemsAdded added) {
    int from = Math.max(added.first(), storedFrom);
    int to = Math.min(added.first() + added.items().size(), reloadEnd);
    for (int index = from; index < to; index++) {
      if (storedIds.get(index - storedFrom) != null) {
        continue; // added twice: the first stands, as in apply
      }
      WorkItem<?> item = added.items().get(index - added.first());
      storedIds.set(index - storedFrom, item.id());
      if (!finished.get(index)) {
        stored.set(index - storedFrom, item);
      }
    }
  }

  /**
   * Ends the reading of stored items: every one must be back.
   *
   * @param failure why reading the journal failed, or {@code null} if it ended
   * @return null if the state is complete; else why not, which {@link #error} reports from now on
   */
  public String reloadEnded(Throwable failure) {
    int missing = storedIds.subList(0, reloadEnd - storedFrom).indexOf(null);
    reloadEnd = storedFrom;
    if (failure != null) {
      reloadError =
          "the ledger's items could not be read from its journal: "
              + (failure.getMessage() == null
                  ? failure.getClass().getName()
                  : failure.getMessage());
    } else if (missing >= 0) {
      reloadError =
          "the ledger's journal lacks the event that added item "
              + (storedFrom + missing)
              + ", which its snapshot counts";
    }
    return reloadError;
  }

  private void finish(int index) {
    finished.set(index);
    finishedCount++;
    started.clear(index);
    failures.remove(index);
    if (index >= storedFrom) {
      stored.set(index - storedFrom, null);
    }
  }

  /**
   * Resolves the combine logic. A spec whose logic cannot be resolved any more (its pipeline was
   * removed, or its options no longer parse) must not stop the ledger from recovering: that would
   * restart it forever. The state remembers why instead, and the ledger refuses to go on.
   */
  private void resolveLogic() {
    try {
      logic = logicFor.apply(spec);
      logicError = null;
    } catch (RuntimeException e) {
      logic = null;
      logicError =
          "the combine logic of pipeline "
              + spec.pipeline()
              + " cannot be resolved: "
              + (e.getMessage() == null ? e.getClass().getName() : e.getMessage());
    }
  }

  /**
   * Returns why the job cannot go on: its combine logic could not be resolved, or its stored items
   * could not be read back; {@code null} if it can (or the job was not submitted yet).
   */
  public String error() {
    return logicError != null ? logicError : reloadError;
  }

  /** Returns true if the item exists and is neither completed nor quarantined. */
  public boolean isPending(int index) {
    return index >= 0 && index < total && !finished.get(index);
  }

  /** Returns true if every item of some ranges is pending. */
  public boolean allPending(int[] ranges) {
    for (int i = 0; i + 1 < ranges.length; i += 2) {
      if (ranges[i] < 0 || ranges[i + 1] > total || ranges[i] >= ranges[i + 1]) {
        return false;
      }
      int next = finished.nextSetBit(ranges[i]);
      if (next >= 0 && next < ranges[i + 1]) {
        return false;
      }
    }
    return ranges.length > 0;
  }

  /** Returns the job's spec, or {@code null} before it was submitted. */
  public JobSpec spec() {
    return spec;
  }

  /** Returns the job's combine logic, or {@code null} before it was submitted. */
  public Combiner<TroupeMessage> logic() {
    return logic;
  }

  /** Returns how many items the plan has. */
  public int planned() {
    return planned;
  }

  /** Returns true if the plan is indexed (its items are not stored). */
  public boolean indexed() {
    return indexed;
  }

  /** Returns the number of items ever added: the next index. */
  public int total() {
    return total;
  }

  /** Returns the number of items neither completed nor quarantined. */
  public int pendingCount() {
    return total - finishedCount;
  }

  /**
   * Returns the stored items (a plan that is not indexed, discovered items) from index {@link
   * #storedFrom()}; finished ones are {@code null}. Do not modify.
   */
  public List<WorkItem<?>> stored() {
    return stored;
  }

  /** Returns the ids of the stored items, finished or not; do not modify. */
  public List<String> storedIds() {
    return storedIds;
  }

  /** Returns the index of the first stored item: 0, or the plan's size if it is indexed. */
  public int storedFrom() {
    return storedFrom;
  }

  /** Returns failed attempts per pending item; do not modify. */
  public Map<Integer, Integer> failures() {
    return failures;
  }

  /** Returns the pending items that were handed to a worker at some point; do not modify. */
  public BitSet started() {
    return started;
  }

  /** Returns the completed and quarantined items; do not modify. */
  public BitSet finished() {
    return finished;
  }

  /** Returns the merged partial results; do not modify. */
  public TroupeMessage accumulator() {
    return accumulator;
  }

  /** Returns the quarantined items; do not modify. */
  public List<QuarantinedItem> quarantined() {
    return quarantined;
  }

  /** Returns the number of items completed. */
  public long completed() {
    return completed;
  }

  /** Returns the number of failed attempts. */
  public long failedAttempts() {
    return failedAttempts;
  }

  /** Returns the outcome once the job completed, else {@code null}. */
  public LedgerEvent.JobCompleted outcome() {
    return outcome;
  }
}
