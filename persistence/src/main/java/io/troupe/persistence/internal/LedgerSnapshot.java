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
 * live state can go on changing while the snapshot is written.
 *
 * @param spec what the job runs
 * @param pending items neither completed nor quarantined, in the order they were added
 * @param failures failed attempts so far per pending item
 * @param finished ids of completed and quarantined items
 * @param accumulator the merged partial results of the completed items
 * @param quarantined the quarantined items, in order
 * @param added items ever added
 * @param completed items completed
 * @param failedAttempts failed attempts, over all items
 * @param outcome the job's outcome once completed, else {@code null}
 * @param started ids of pending items that were handed to a worker at some point; {@code null} in
 *     snapshots written before this field existed
 */
public record LedgerSnapshot(
    JobSpec spec,
    List<WorkItem<?>> pending,
    Map<String, Integer> failures,
    List<String> finished,
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@type") TroupeMessage accumulator,
    List<QuarantinedItem> quarantined,
    long added,
    long completed,
    long failedAttempts,
    LedgerEvent.JobCompleted outcome,
    List<String> started)
    implements TroupeMessage {}
