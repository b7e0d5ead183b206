package io.troupe.persistence.internal;

import io.troupe.persistence.JobSpec;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.QuarantinedItem;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The live state of one job ledger (internal API).
 *
 * <p>Implementation notes: mutable and owned by the ledger actor; only its event handler calls
 * {@link #apply}, on the actor's thread, both while recording and while replaying. Applying is
 * idempotent per item: a completion or quarantine of an item that is not pending changes nothing,
 * and an added item whose id is known is skipped; so even a journal holding a duplicate (which the
 * command side already filters) rebuilds the same state. Snapshots are taken through {@link
 * #snapshot}, a deep copy, because the accumulator is merged in place.
 */
public final class LedgerState {

  private final Function<JobSpec, Combiner<TroupeMessage>> logicFor;
  private JobSpec spec;
  private Combiner<TroupeMessage> logic;
  private String logicError;
  private final LinkedHashMap<String, WorkItem<?>> pending = new LinkedHashMap<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final Set<String> finished = new HashSet<>();
  private final Set<String> started = new HashSet<>();
  private TroupeMessage accumulator;
  private final List<QuarantinedItem> quarantined = new ArrayList<>();
  private long added;
  private long completed;
  private long failedAttempts;
  private LedgerEvent.JobCompleted outcome;

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
    snapshot.pending().forEach(item -> state.pending.put(item.id(), item));
    state.failures.putAll(snapshot.failures());
    state.finished.addAll(snapshot.finished());
    state.accumulator = snapshot.accumulator();
    state.quarantined.addAll(snapshot.quarantined());
    state.added = snapshot.added();
    state.completed = snapshot.completed();
    state.failedAttempts = snapshot.failedAttempts();
    state.outcome = snapshot.outcome();
    if (snapshot.started() != null) {
      state.started.addAll(snapshot.started());
    }
    return state;
  }

  /** Returns an immutable deep copy for a snapshot. */
  public LedgerSnapshot snapshot() {
    return new LedgerSnapshot(
        spec,
        List.copyOf(pending.values()),
        Map.copyOf(failures),
        List.copyOf(finished),
        accumulator == null || logic == null ? accumulator : logic.copy(accumulator),
        List.copyOf(quarantined),
        added,
        completed,
        failedAttempts,
        outcome,
        List.copyOf(started));
  }

  /** Applies one event; returns this state. */
  public LedgerState apply(LedgerEvent event) {
    if (event instanceof LedgerEvent.JobSubmitted e) {
      spec = e.spec();
      resolveLogic();
      accumulator = logic == null ? null : logic.zero();
    } else if (event instanceof LedgerEvent.ItemsAdded e) {
      for (WorkItem<?> item : e.items()) {
        if (!isKnown(item.id())) {
          pending.put(item.id(), item);
          added++;
        }
      }
    } else if (event instanceof LedgerEvent.ItemsStarted e) {
      for (String id : e.items()) {
        if (pending.containsKey(id)) {
          started.add(id);
        }
      }
    } else if (event instanceof LedgerEvent.ItemCompleted e) {
      if (pending.remove(e.item()) != null) {
        started.remove(e.item());
        failures.remove(e.item());
        finished.add(e.item());
        if (logic != null) {
          accumulator = logic.merge(accumulator, e.partial());
        }
        completed++;
      }
    } else if (event instanceof LedgerEvent.ItemFailed e) {
      if (pending.containsKey(e.item())) {
        failures.merge(e.item(), 1, Integer::sum);
        failedAttempts++;
      }
    } else if (event instanceof LedgerEvent.ItemQuarantined e) {
      if (pending.remove(e.item()) != null) {
        started.remove(e.item());
        failures.remove(e.item());
        finished.add(e.item());
        quarantined.add(new QuarantinedItem(e.item(), e.reason()));
      }
    } else if (event instanceof LedgerEvent.JobCompleted e) {
      outcome = e;
    }
    return this;
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
   * Returns why the job's combine logic could not be resolved, or {@code null} if it was (or the
   * job was not submitted yet).
   */
  public String logicError() {
    return logicError;
  }

  /** Returns true if an item with this id was ever added. */
  public boolean isKnown(String id) {
    return pending.containsKey(id) || finished.contains(id);
  }

  /** Returns true if the item is neither completed nor quarantined. */
  public boolean isPending(String id) {
    return pending.containsKey(id);
  }

  /** Returns the job's spec, or {@code null} before it was submitted. */
  public JobSpec spec() {
    return spec;
  }

  /** Returns the job's combine logic, or {@code null} before it was submitted. */
  public Combiner<TroupeMessage> logic() {
    return logic;
  }

  /** Returns the pending items in the order they were added; do not modify. */
  public Map<String, WorkItem<?>> pending() {
    return pending;
  }

  /** Returns failed attempts per pending item; do not modify. */
  public Map<String, Integer> failures() {
    return failures;
  }

  /** Returns the ids of pending items that were handed to a worker at some point; do not modify. */
  public Set<String> started() {
    return started;
  }

  /** Returns the ids of completed and quarantined items; do not modify. */
  public Set<String> finished() {
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

  /** Returns the number of items ever added. */
  public long added() {
    return added;
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
