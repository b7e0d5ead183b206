package io.troupe.persistence.internal;

import io.troupe.sdk.WorkItem;
import java.util.ArrayList;
import java.util.List;

/**
 * The next write of a job's plan into its ledger (internal API): the job itself, if the ledger has
 * none yet, and the next {@code items-per-write} of its listed items, so that a plan of millions of
 * items is never encoded, or held by the database, all at once.
 *
 * @param events what to persist, in one atomic write
 * @param last true if the plan is complete after it
 */
record PlanWrite(List<LedgerEvent> events, boolean last) {

  /**
   * Returns the next write of a submitted plan.
   *
   * @param state the ledger now: no job, or a listed plan recorded in part or in full
   * @param submit the submission, with every listed item
   * @param settings items per write and per event
   * @return the write
   * @throws IllegalArgumentException if the plan is not the one recorded in part: its size or the
   *     last recorded item's id differ
   */
  static PlanWrite next(
      LedgerState state, LedgerProtocol.Submit submit, PersistenceSettings settings) {
    List<WorkItem<?>> items = submit.items();
    List<LedgerEvent> events = new ArrayList<>();
    int first = 0;
    if (state.spec() == null) {
      events.add(new LedgerEvent.JobSubmitted(submit.spec(), submit.planned(), submit.indexed()));
    } else {
      first = state.total();
      if (items.size() != state.planned()
          || first > 0 && !items.get(first - 1).id().equals(state.storedIds().get(first - 1))) {
        throw new IllegalArgumentException(
            "its plan changed: "
                + items.size()
                + " items now, "
                + state.planned()
                + " when it was submitted");
      }
    }
    int end = Math.min(items.size(), first + settings.itemsPerWrite());
    for (int from = first; from < end; from += settings.itemsPerEvent()) {
      int to = Math.min(end, from + settings.itemsPerEvent());
      events.add(new LedgerEvent.ItemsAdded(from, List.copyOf(items.subList(from, to))));
    }
    return new PlanWrite(events, end == items.size());
  }
}
