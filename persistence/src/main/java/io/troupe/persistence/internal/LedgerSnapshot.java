package io.troupe.persistence.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.troupe.persistence.JobSpec;
import io.troupe.sdk.QuarantinedItem;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.util.List;
import java.util.Map;

/**
 * A job ledger's state at one sequence number, as stored in a snapshot: an immutable copy, so the
 * live state can go on changing while the snapshot is written. Finished and started items are
 * compact {@link IndexSet}s; of the stored items only the pending ones are kept.
 *
 * @param spec what the job runs
 * @param planned how many items its plan has
 * @param indexed true if the plan is indexed (its items are not stored)
 * @param total items ever added
 * @param storedIds the ids of all stored items, in index order from the first stored one
 * @param pendingStored the stored items still pending, by index
 * @param finished the completed and quarantined items
 * @param started pending items that were handed to a worker at some point
 * @param failures failed attempts so far per pending item
 * @param accumulator the merged partial results of the completed items
 * @param quarantined the quarantined items, in order
 * @param completed items completed
 * @param failedAttempts failed attempts, over all items
 * @param outcome the job's outcome once completed, else {@code null}
 */
public record LedgerSnapshot(
    JobSpec spec,
    int planned,
    boolean indexed,
    int total,
    List<String> storedIds,
    List<Stored> pendingStored,
    IndexSet finished,
    IndexSet started,
    Map<Integer, Integer> failures,
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@type") TroupeMessage accumulator,
    List<QuarantinedItem> quarantined,
    long completed,
    long failedAttempts,
    LedgerEvent.JobCompleted outcome)
    implements TroupeMessage {

  /**
   * A stored item and its index.
   *
   * @param index the item's index
   * @param item the item
   */
  public record Stored(int index, WorkItem<?> item) implements TroupeMessage {}
}
