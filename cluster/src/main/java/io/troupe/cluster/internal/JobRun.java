package io.troupe.cluster.internal;

import io.troupe.actors.internal.WorkDispatch;
import io.troupe.persistence.internal.JobLedger;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The dispatch state of one running job (internal API).
 *
 * <p>Implementation notes: owned by the job's coordinator and touched only from its message
 * handlers. It is rebuilt from the ledger whenever a coordinator (re)starts, and it runs ahead of
 * the ledger: an item counts as done here as soon as its answer arrives, while the outcome waits in
 * {@link #takeBatch() the unwritten batch} for the next ledger write. If the coordinator dies
 * before that write, the item is pending again in the rebuilt state and is simply done once more.
 * Hosts (one per node) are the dispatch's workers, each with credit for all its worker slots. An
 * answer is matched to its hand-out by id only to free the credit; whether it counts is decided by
 * the item id, so an answer for an item still pending counts even if it comes from a hand-out this
 * coordinator never made (a previous incarnation's) or one that timed out, and every other answer
 * is a duplicate and is dropped.
 *
 * @param <H> the host handle
 */
public final class JobRun<H> {

  /** What to do with an item whose attempt failed. */
  public enum Verdict {
    /** Retry it after the backoff. */
    RETRY,
    /** Give up on it. */
    QUARANTINE,
    /** Nothing: the item is no longer pending. */
    IGNORE
  }

  // Random first hand-out id: answers to a previous coordinator's hand-outs match none of ours.
  private final WorkDispatch<H, WorkItem<?>> dispatch =
      new WorkDispatch<>(1, ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2));
  private final Map<String, WorkItem<?>> pending = new LinkedHashMap<>();
  private final Set<String> known = new HashSet<>();
  private final Map<String, Integer> failures = new HashMap<>();
  private final Set<String> waitingForRetry = new HashSet<>();
  private final Set<String> started = new HashSet<>();
  private final Set<String> startedBefore = new HashSet<>();
  private final List<JobLedger.Entry> unwritten = new ArrayList<>();
  private final int maxAttempts;
  private final long completedBefore;
  private int writing;
  private long completed;
  private long quarantined;
  private long failedAttempts;
  private long redispatched;
  private long duplicates;
  private long redone;
  private long maxItems = Long.MAX_VALUE;
  private long dropped;

  /**
   * Creates the state of a job from what its ledger holds.
   *
   * @param pending items still to do, in ledger order
   * @param failures failed attempts so far per pending item
   * @param completedBefore items the ledger already has as completed
   * @param knownIds ids of the items the ledger already has as completed or quarantined
   * @param startedBefore ids of pending items an earlier run handed out (it died holding them)
   * @param maxAttempts attempts per item before it is quarantined
   */
  public JobRun(
      List<WorkItem<?>> pending,
      Map<String, Integer> failures,
      long completedBefore,
      Set<String> knownIds,
      Set<String> startedBefore,
      int maxAttempts) {
    this.maxAttempts = maxAttempts;
    this.started.addAll(startedBefore);
    this.startedBefore.addAll(startedBefore);
    this.completedBefore = completedBefore;
    this.known.addAll(knownIds);
    this.failures.putAll(failures);
    for (WorkItem<?> item : pending) {
      this.pending.put(item.id(), item);
      this.known.add(item.id());
      dispatch.enqueue(item, this.failures.getOrDefault(item.id(), 0) + 1);
    }
  }

  /**
   * Caps the job's items: once it has this many, items workers discover are dropped.
   *
   * @param max the most items the job may have; positive
   */
  public void limitItems(long max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive, was " + max);
    }
    this.maxItems = max;
  }

  /** Returns how many discovered items this run dropped because the job had its maximum. */
  public long dropped() {
    return dropped;
  }

  /** Adds a host with credit for all its worker slots. */
  public void addHost(H host, int capacity) {
    if (!dispatch.hasWorker(host)) {
      dispatch.addWorker(host, capacity);
    }
  }

  /** Returns true if the host is known. */
  public boolean hasHost(H host) {
    return dispatch.hasWorker(host);
  }

  /** Removes a dead host; its items go back to the front of the queue. Returns how many. */
  public int removeHost(H host) {
    int requeued = dispatch.removeWorker(host);
    redispatched += requeued;
    return requeued;
  }

  /** Returns the hand-outs to send now: as many queued items as hosts have credit for. */
  public List<WorkDispatch.Assignment<H, WorkItem<?>>> handOut() {
    return handOut(Integer.MAX_VALUE);
  }

  /**
   * Returns the hand-outs to send now, or none while at least {@code maxUnwritten} outcomes wait
   * for the ledger: a slow or unreachable ledger holds the job back instead of filling memory.
   */
  public List<WorkDispatch.Assignment<H, WorkItem<?>>> handOut(int maxUnwritten) {
    List<WorkDispatch.Assignment<H, WorkItem<?>>> out = new ArrayList<>();
    if (unwritten.size() >= maxUnwritten) {
      return out;
    }
    for (var a = dispatch.next(); a != null; a = dispatch.next()) {
      out.add(a);
      if (started.add(a.task().id())) {
        unwritten.add(new JobLedger.Started(a.task().id()));
      }
    }
    return out;
  }

  /**
   * Takes a worker's answer with a result.
   *
   * @param handout the hand-out it answers, to free the host's credit
   * @param item the item's id
   * @param partial the item's partial result
   * @param newItems items the worker discovered
   * @return true if the answer counts, false if it is a duplicate
   */
  public boolean done(
      long handout, String item, TroupeMessage partial, List<WorkItem<?>> newItems) {
    dispatch.finish(handout);
    if (pending.remove(item) == null) {
      duplicates++;
      return false;
    }
    completed++;
    if (startedBefore.remove(item)) {
      redone++;
    }
    failures.remove(item);
    waitingForRetry.remove(item);
    List<WorkItem<?>> fresh = new ArrayList<>();
    for (WorkItem<?> child : newItems) {
      if (known.contains(child.id())) {
        continue;
      }
      if (known.size() >= maxItems) {
        dropped++;
        continue;
      }
      if (known.add(child.id())) {
        pending.put(child.id(), child);
        dispatch.enqueue(child);
        fresh.add(child);
      }
    }
    unwritten.add(new JobLedger.Done(item, partial, fresh));
    return true;
  }

  /**
   * Takes a failed attempt (a worker's exception or a timeout) and decides what happens.
   *
   * @param handout the hand-out that failed, to free the host's credit; 0 if none
   * @param item the item's id
   * @param reason exception class and message
   * @return whether to retry, quarantine, or ignore (the item is no longer pending)
   */
  public Verdict failed(long handout, String item, String reason) {
    if (handout != 0 && dispatch.finish(handout) == null) {
      // An answer to a hand-out that already timed out, or to a previous coordinator's: that
      // attempt was counted (or never made by this run), so counting it again would quarantine
      // an item early.
      return Verdict.IGNORE;
    }
    if (!pending.containsKey(item) || waitingForRetry.contains(item)) {
      return Verdict.IGNORE;
    }
    int attempts = failures.merge(item, 1, Integer::sum);
    failedAttempts++;
    if (attempts >= maxAttempts) {
      pending.remove(item);
      failures.remove(item);
      quarantined++;
      unwritten.add(new JobLedger.GaveUp(item, attempts, reason));
      return Verdict.QUARANTINE;
    }
    waitingForRetry.add(item);
    unwritten.add(new JobLedger.Failed(item, attempts, reason));
    return Verdict.RETRY;
  }

  /** Queues an item whose retry delay has passed, if it is still pending. */
  public void retryDue(String item) {
    if (waitingForRetry.remove(item)) {
      WorkItem<?> w = pending.get(item);
      if (w != null) {
        dispatch.retry(w, failures.getOrDefault(item, 0) + 1);
      }
    }
  }

  /** Returns the failed attempts so far of a pending item. */
  public int failuresOf(String item) {
    return failures.getOrDefault(item, 0);
  }

  /** Returns hand-outs older than the given {@link System#nanoTime()} value, oldest first. */
  public List<WorkDispatch.Assignment<H, WorkItem<?>>> handedOutBefore(long nanos) {
    return dispatch.inFlightWhere(a -> a.handedOutNanos() < nanos);
  }

  /** Returns how many outcomes wait for a ledger write (not counting one in flight). */
  public int unwrittenCount() {
    return unwritten.size() - writing;
  }

  /** Returns true while a ledger write is in flight. */
  public boolean isWriting() {
    return writing > 0;
  }

  /** Returns true when no item is pending: everything left to do is writing outcomes. */
  public boolean allItemsDone() {
    return pending.isEmpty();
  }

  /**
   * Takes the next batch of outcomes for the ledger, unless a write is in flight.
   *
   * @param max most entries in the batch
   * @return the batch, empty if there is nothing to write or a write is in flight
   */
  public List<JobLedger.Entry> takeBatch(int max) {
    if (writing > 0 || unwritten.isEmpty()) {
      return List.of();
    }
    int n = Math.min(max, unwritten.size());
    List<JobLedger.Entry> batch = new ArrayList<>(unwritten.subList(0, n));
    writing = n;
    return batch;
  }

  /** Marks the batch in flight as written. */
  public void batchWritten() {
    unwritten.subList(0, writing).clear();
    writing = 0;
  }

  /** Marks the batch in flight as not written; it will be taken again. */
  public void batchFailed() {
    writing = 0;
  }

  /** Returns true when every item is completed or quarantined and every outcome is written. */
  public boolean isFinished() {
    return pending.isEmpty() && unwritten.isEmpty() && writing == 0;
  }

  /** Returns the number of items known to the job. */
  public long items() {
    return known.size();
  }

  /** Returns the items completed before this run (from the ledger). */
  public long completedBefore() {
    return completedBefore;
  }

  /** Returns the items completed in this run. */
  public long completed() {
    return completed;
  }

  /** Returns the items quarantined in this run. */
  public long quarantined() {
    return quarantined;
  }

  /** Returns the failed attempts in this run. */
  public long failedAttempts() {
    return failedAttempts;
  }

  /** Returns the items handed out again because the node holding them left. */
  public long redispatched() {
    return redispatched;
  }

  /** Returns the items an earlier run had handed out that this run completed again. */
  public long redone() {
    return redone;
  }

  /** Returns the duplicate answers dropped in this run. */
  public long duplicates() {
    return duplicates;
  }

  /** Returns the items held by hosts now. */
  public int inFlight() {
    return dispatch.inFlight();
  }

  /** Returns the items waiting for a host. */
  public int queued() {
    return dispatch.queued();
  }

  /** Returns the items still to complete or quarantine. */
  public int pendingCount() {
    return pending.size();
  }

  /**
   * Counts the items still to do per stage, and of those the ones hosts hold now.
   *
   * @return per stage: {items not completed or quarantined yet, items held by hosts}
   */
  public Map<String, long[]> pendingByStage() {
    Map<String, long[]> counts = new java.util.TreeMap<>();
    for (WorkItem<?> item : pending.values()) {
      counts.computeIfAbsent(item.stage(), k -> new long[2])[0]++;
    }
    for (WorkDispatch.Assignment<H, WorkItem<?>> a : dispatch.inFlightWhere(a -> true)) {
      counts.computeIfAbsent(a.task().stage(), k -> new long[2])[1]++;
    }
    return counts;
  }

  /** Returns the stage of a pending item, or {@code "unknown"} for an item not pending. */
  public String stageOf(String item) {
    WorkItem<?> pendingItem = pending.get(item);
    return pendingItem == null ? "unknown" : pendingItem.stage();
  }

  /** Returns the number of hosts. */
  public int hosts() {
    return dispatch.workers();
  }
}
