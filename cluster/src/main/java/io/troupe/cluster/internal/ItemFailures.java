package io.troupe.cluster.internal;

import io.troupe.persistence.internal.LedgerProtocol;
import io.troupe.sdk.WorkItem;
import java.util.HashSet;
import java.util.Set;

/**
 * What a running job does with an item's failed attempt (internal API): retry it after the retry
 * delay, or quarantine it once it has used its attempts; either way the outcome goes to the ledger
 * and the log.
 *
 * <p>Implementation notes: owned by the coordinator's {@link Running} phase and used only from its
 * message handlers. An item waiting for its retry is not pending hand-out, and a second failure
 * reported for it meanwhile (a late answer of an earlier hand-out) is not counted again.
 */
final class ItemFailures {

  private final Coordination job;
  private final ItemBook book;
  private final LedgerWriter writer;
  private final RunCounts counts;
  private final Set<Integer> waitingForRetry = new HashSet<>();

  ItemFailures(Coordination job, ItemBook book, LedgerWriter writer, RunCounts counts) {
    this.job = job;
    this.book = book;
    this.writer = writer;
    this.counts = counts;
  }

  /**
   * Counts a failed attempt of a pending item: schedules its retry ({@link
   * CoordinatorMessages.RetryDue}) or quarantines it.
   *
   * @param index the item
   * @param reason why the attempt failed
   */
  void failed(int index, String reason) {
    if (!book.isPending(index) || waitingForRetry.contains(index)) {
      return;
    }
    WorkItem<?> item = book.item(index);
    int attempts = book.failed(index);
    counts.failedAttempts++;
    if (attempts >= job.settings.maxAttempts()) {
      book.finish(index);
      counts.quarantined++;
      writer.add(new LedgerProtocol.GaveUp(index, item.id(), attempts, reason));
      job.jobMeters().quarantined(item.stage());
      job.ctx
          .getLog()
          .error(
              "Item [{}] of job [{}] quarantined after {} attempt(s): {}",
              item.id(),
              job.jobId,
              attempts,
              reason);
      return;
    }
    waitingForRetry.add(index);
    writer.add(new LedgerProtocol.Failed(index, attempts, reason));
    job.jobMeters().retried(item.stage());
    job.ctx
        .getLog()
        .warn(
            "Item [{}] of job [{}] failed on attempt {} of {}, retrying: {}",
            item.id(),
            job.jobId,
            attempts,
            job.settings.maxAttempts(),
            reason);
    job.timers.startSingleTimer(
        new CoordinatorMessages.RetryDue(index), job.settings.retryDelay(attempts));
  }

  /**
   * Takes an item's retry delay as over.
   *
   * @return true if the item waited for it and is still pending: it may go out again
   */
  boolean retryDue(int index) {
    return waitingForRetry.remove(index) && book.isPending(index);
  }

  /** Forgets a waiting retry of an item that completed meanwhile. */
  void completed(int index) {
    waitingForRetry.remove(index);
  }
}
