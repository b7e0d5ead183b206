package io.troupe.persistence.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.persistence.JobSpec;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.util.List;

/**
 * The events of a job's ledger, in the order they happen. Replaying them rebuilds the job's
 * progress and accumulator exactly.
 *
 * <p>Items are named by index: a job's planned items are {@code 0 .. planned-1} in plan order, and
 * each item its workers discover takes the next index. Events carry indices, as ranges where they
 * name many, never an id per item; only items the ledger must be able to hand out again after a
 * restart (a plan that is not indexed, discovered items) are stored whole, once.
 */
public sealed interface LedgerEvent extends TroupeMessage {

  /** The status of a {@link JobCompleted} that records a cancel. */
  String CANCELED = "canceled";

  /**
   * The job was accepted.
   *
   * @param spec what it runs
   * @param planned how many items its plan has
   * @param indexed true if the plan is indexed: its items are re-created from the options, so they
   *     are not stored; false if {@link ItemsAdded} events follow with them
   */
  record JobSubmitted(JobSpec spec, int planned, boolean indexed) implements LedgerEvent {}

  /**
   * Items joined the job: its planned items when its plan is not indexed, or items its workers
   * discovered.
   *
   * @param first the index of the first item; the others follow in order
   * @param items the items
   */
  record ItemsAdded(int first, List<WorkItem<?>> items) implements LedgerEvent {}

  /**
   * Items were handed to workers for the first time. Recorded with the next write of outcomes, so a
   * resumed job can tell the items it processes again (they were in flight when the process died)
   * from those it processes for the first time.
   *
   * @param ranges the items, as {@code [from, to)} index pairs
   */
  record ItemsStarted(int[] ranges) implements LedgerEvent {}

  /**
   * Items recorded as started were given back before any worker started them (their node left
   * gracefully), so a resumed job processes them for the first time.
   *
   * @param ranges the items, as {@code [from, to)} index pairs
   */
  record ItemsUnstarted(int[] ranges) implements LedgerEvent {}

  /**
   * Items were processed, and the partial their node combined from their results was added to the
   * job's accumulator.
   *
   * @param ranges the items, as {@code [from, to)} index pairs
   * @param partial their results, combined
   */
  record ItemsCompleted(
      int[] ranges,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@type") TroupeMessage partial)
      implements LedgerEvent {}

  /**
   * One attempt at an item failed; it will be retried.
   *
   * @param index the item
   * @param attempt the attempt that failed, from 1
   * @param reason exception class and message
   */
  record ItemFailed(int index, int attempt, String reason) implements LedgerEvent {}

  /**
   * An item's last attempt failed; the job goes on without it.
   *
   * @param index the item
   * @param item the item's id, for the result's list of quarantined items
   * @param attempts how many attempts were made
   * @param reason the last failure: exception class and message
   */
  record ItemQuarantined(int index, String item, int attempts, String reason)
      implements LedgerEvent {}

  /**
   * The job is over: every item is completed or quarantined, or the job was canceled.
   *
   * @param status {@code completed}, {@code completed_with_failures} or {@code canceled}
   * @param result the job's result
   * @param report the run report
   */
  record JobCompleted(String status, JsonNode result, JsonNode report) implements LedgerEvent {
    /** Keeps a missing result or report {@code null} after Jackson read it as a JSON null node. */
    public JobCompleted {
      result = result == null || result.isNull() ? null : result;
      report = report == null || report.isNull() ? null : report;
    }
  }
}
