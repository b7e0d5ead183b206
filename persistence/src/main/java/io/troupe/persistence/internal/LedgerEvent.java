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
 */
public sealed interface LedgerEvent extends TroupeMessage {

  /**
   * The job was accepted.
   *
   * @param spec what it runs
   */
  record JobSubmitted(JobSpec spec) implements LedgerEvent {}

  /**
   * Items joined the job: its initial items, or those an item's worker discovered.
   *
   * @param items the new items; ids not seen before in this job
   */
  record ItemsAdded(List<WorkItem<?>> items) implements LedgerEvent {}

  /**
   * Items were handed to workers for the first time. Recorded with the next batch of outcomes, so a
   * resumed job can tell the items it processes again (they were in flight when the process died)
   * from those it processes for the first time.
   *
   * @param items the items' ids
   */
  record ItemsStarted(List<String> items) implements LedgerEvent {}

  /**
   * An item was processed and its partial result added to the job's accumulator.
   *
   * @param item the item's id
   * @param partial the item's partial result
   */
  record ItemCompleted(
      String item,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@type") TroupeMessage partial)
      implements LedgerEvent {}

  /**
   * One attempt at an item failed; it will be retried.
   *
   * @param item the item's id
   * @param attempt the attempt that failed, from 1
   * @param reason exception class and message
   */
  record ItemFailed(String item, int attempt, String reason) implements LedgerEvent {}

  /**
   * An item's last attempt failed; the job goes on without it.
   *
   * @param item the item's id
   * @param attempts how many attempts were made
   * @param reason the last failure: exception class and message
   */
  record ItemQuarantined(String item, int attempts, String reason) implements LedgerEvent {}

  /**
   * Every item is completed or quarantined.
   *
   * @param status {@code completed} or {@code completed_with_failures}
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
