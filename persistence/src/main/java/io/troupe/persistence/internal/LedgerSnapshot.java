package io.troupe.persistence.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.troupe.persistence.JobSpec;
import io.troupe.sdk.QuarantinedItem;
import io.troupe.sdk.TroupeMessage;
import java.util.List;
import java.util.Map;

/**
 * A job ledger's state at one sequence number, as stored in a snapshot: an immutable copy, so the
 * live state can go on changing while the snapshot is written. Finished and started items are
 * compact {@link IndexSet}s. Stored items (a listed plan's, discovered ones) are not in it: they
 * are in the journal's {@link LedgerEvent.ItemsAdded} events, which are never deleted, and a ledger
 * that recovers from a snapshot reads them from there. So a snapshot costs bits per item, and a job
 * of a million listed items does not write its plan again with every snapshot. (Snapshots of
 * earlier versions held the stored items too; those fields are ignored when read.)
 *
 * @param spec what the job runs
 * @param planned how many items its plan has
 * @param indexed true if the plan is indexed (its items are not stored)
 * @param total items ever added
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
    IndexSet finished,
    IndexSet started,
    Map<Integer, Integer> failures,
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@type") TroupeMessage accumulator,
    List<QuarantinedItem> quarantined,
    long completed,
    long failedAttempts,
    LedgerEvent.JobCompleted outcome)
    implements TroupeMessage {}
