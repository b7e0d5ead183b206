package io.troupe.cluster.internal;

import io.troupe.persistence.internal.LedgerProtocol;

/**
 * What one run of a job counted (internal API): this coordinator incarnation's counts, beside the
 * job's counts from its ledger when the run began. Owned by the coordinator.
 */
final class RunCounts {

  private final LedgerProtocol.Progress before;
  long completed;
  long quarantined;
  long failedAttempts;
  long redispatched;
  long redone;
  long duplicates;
  long dropped;

  RunCounts(LedgerProtocol.Progress before) {
    this.before = before;
  }

  long completedBefore() {
    return before.completed();
  }

  long quarantinedBefore() {
    return before.quarantined();
  }

  long failedBefore() {
    return before.failedAttempts();
  }

  /**
   * Returns the counts as the job ends.
   *
   * @param items the items the job has
   * @return the summary
   */
  Summary summary(long items) {
    return new Summary(
        items,
        before.completed(),
        completed,
        before.quarantined() + quarantined,
        quarantined,
        before.failedAttempts() + failedAttempts,
        failedAttempts,
        redispatched,
        redone);
  }

  /**
   * A run's counts as its job ends.
   *
   * @param items items the job has
   * @param resumed items completed by an earlier run
   * @param completed items this run completed
   * @param quarantined items quarantined, in the whole job
   * @param quarantinedNow items this run quarantined
   * @param failedAttempts failed attempts, in the whole job
   * @param failedNow failed attempts in this run
   * @param redispatched items handed out again because their node left
   * @param redone items an earlier run held when it died, processed again by this one
   */
  record Summary(
      long items,
      long resumed,
      long completed,
      long quarantined,
      long quarantinedNow,
      long failedAttempts,
      long failedNow,
      long redispatched,
      long redone) {

    /** Returns the counts a status shows. */
    Over.Counts counts() {
      return new Over.Counts(items, resumed + completed, quarantined, failedAttempts);
    }
  }
}
