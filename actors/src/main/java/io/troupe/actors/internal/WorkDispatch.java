package io.troupe.actors.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Credit-based hand-out of queued tasks to workers (internal API).
 *
 * <p>Implementation notes: a plain data structure owned by one actor and touched only from its
 * message handlers, so it needs no synchronisation. Every worker has {@code creditPerWorker} slots;
 * a task is handed out only to a worker with a free slot, so no worker ever holds more than that
 * many tasks and its mailbox stays bounded. Among workers with free slots the least loaded wins
 * (ties broken round-robin), which is what makes the hand-out work-pulling: a slow worker frees its
 * slots slowly and therefore receives fewer tasks. Each hand-out gets a fresh id; {@link #finish}
 * with an id that is not in flight (a duplicate or late answer) returns {@code null}, which is how
 * owners ignore answers they have already handled. Retries go to the front of the queue. A worker
 * counts as busy from the moment it holds a task until it holds none, which is what {@link
 * #busyNanos} sums.
 *
 * @param <W> the worker handle, compared with {@code equals}
 * @param <T> the task type
 */
public final class WorkDispatch<W, T> {

  /**
   * One task handed to one worker.
   *
   * @param id unique id of the hand-out
   * @param worker the worker holding the task
   * @param task the task
   * @param attempt 1 for the first hand-out of the task, then one more per retry
   * @param handedOutNanos {@link System#nanoTime()} at hand-out
   * @param queuedAhead tasks the worker already held at hand-out (its mailbox depth, roughly)
   * @param <W> the worker handle
   * @param <T> the task type
   */
  public record Assignment<W, T>(
      long id, W worker, T task, int attempt, long handedOutNanos, int queuedAhead) {}

  private record Queued<T>(T task, int attempt) {}

  private static final class Slot<W> {
    final W worker;
    int credit;
    int inFlight;
    long busySince;
    long busyNanos;
    long lastAnswerNanos;

    /** The hand-out this worker is stuck on and that was given up on, or 0. */
    long stuckOn;

    Slot(W worker, int credit) {
      this.worker = worker;
      this.credit = credit;
    }
  }

  private int creditPerWorker;
  private final List<Slot<W>> slots = new ArrayList<>();
  private final ArrayDeque<Queued<T>> queue = new ArrayDeque<>();
  private final Map<Long, Assignment<W, T>> inFlight = new HashMap<>();
  private long nextId;
  private int roundRobin;

  /**
   * Creates an empty dispatch.
   *
   * @param creditPerWorker tasks one worker may hold at once; at least 1
   */
  public WorkDispatch(int creditPerWorker) {
    this(creditPerWorker, 1);
  }

  /**
   * Creates an empty dispatch whose hand-out ids start at a given value. An owner that may be
   * re-created while answers to its previous incarnation are still on their way starts each
   * incarnation at a random id, so such answers match no hand-out of the new one.
   *
   * @param creditPerWorker tasks one worker may hold at once; at least 1
   * @param firstId the id of the first hand-out; at least 1
   */
  public WorkDispatch(int creditPerWorker, long firstId) {
    if (creditPerWorker < 1) {
      throw new IllegalArgumentException("creditPerWorker must be >= 1, was " + creditPerWorker);
    }
    if (firstId < 1) {
      throw new IllegalArgumentException("firstId must be >= 1, was " + firstId);
    }
    this.creditPerWorker = creditPerWorker;
    this.nextId = firstId;
  }

  /** Adds a worker with all its slots free. */
  public void addWorker(W worker) {
    addWorker(worker, creditPerWorker);
  }

  /**
   * Adds a worker with its own number of slots (for example a whole node's worth).
   *
   * @param worker the worker
   * @param credit tasks it may hold at once; at least 1
   */
  public void addWorker(W worker, int credit) {
    if (credit < 1) {
      throw new IllegalArgumentException("credit must be >= 1, was " + credit);
    }
    slots.add(new Slot<>(worker, credit));
  }

  /**
   * Changes every worker's number of slots (for example as the owner learns how long its tasks
   * take). A worker holding more than the new number keeps its tasks and gets no more until it is
   * below.
   *
   * @param credit tasks one worker may hold at once; at least 1
   */
  public void setCreditPerWorker(int credit) {
    if (credit < 1) {
      throw new IllegalArgumentException("credit must be >= 1, was " + credit);
    }
    creditPerWorker = credit;
    for (Slot<W> slot : slots) {
      slot.credit = credit;
    }
  }

  /** Returns the number of tasks one worker may hold at once. */
  public int creditPerWorker() {
    return creditPerWorker;
  }

  /** Returns true if the worker was added and not removed. */
  public boolean hasWorker(W worker) {
    for (Slot<W> slot : slots) {
      if (slot.worker.equals(worker)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Removes a worker and puts the tasks it held back at the front of the queue, keeping their
   * attempt numbers (the worker's death is not their fault).
   *
   * @return how many tasks were put back
   */
  public int removeWorker(W worker) {
    slots.removeIf(s -> s.worker.equals(worker));
    int requeued = 0;
    for (Iterator<Assignment<W, T>> it = inFlight.values().iterator(); it.hasNext(); ) {
      Assignment<W, T> a = it.next();
      if (a.worker().equals(worker)) {
        it.remove();
        queue.addFirst(new Queued<>(a.task(), a.attempt()));
        requeued++;
      }
    }
    return requeued;
  }

  /** Queues a task for its first attempt. */
  public void enqueue(T task) {
    enqueue(task, 1);
  }

  /** Queues a task at the back for the given attempt (for example one recovered mid-retry). */
  public void enqueue(T task, int attempt) {
    queue.addLast(new Queued<>(task, attempt));
  }

  /** Queues a task at the front for the given attempt. */
  public void retry(T task, int attempt) {
    queue.addFirst(new Queued<>(task, attempt));
  }

  /**
   * Hands the next queued task to the least loaded worker with a free slot.
   *
   * @return the assignment to send, or {@code null} when the queue is empty or no slot is free
   */
  public Assignment<W, T> next() {
    if (queue.isEmpty() || slots.isEmpty()) {
      return null;
    }
    Slot<W> best = null;
    int bestIndex = -1;
    int n = slots.size();
    for (int i = 0; i < n; i++) {
      int index = (roundRobin + i) % n;
      Slot<W> slot = slots.get(index);
      if (slot.stuckOn == 0
          && slot.inFlight < slot.credit
          && (best == null || load(slot) < load(best))) {
        best = slot;
        bestIndex = index;
        if (slot.inFlight == 0) {
          break;
        }
      }
    }
    if (best == null) {
      return null;
    }
    roundRobin = (bestIndex + 1) % n;
    Queued<T> queued = queue.pollFirst();
    long now = System.nanoTime();
    int ahead = best.inFlight;
    if (best.inFlight++ == 0) {
      best.busySince = now;
    }
    Assignment<W, T> assignment =
        new Assignment<>(nextId++, best.worker, queued.task(), queued.attempt(), now, ahead);
    inFlight.put(assignment.id(), assignment);
    return assignment;
  }

  /**
   * Ends a hand-out and frees its worker's slot.
   *
   * @param id the id of the hand-out
   * @return the assignment, or {@code null} if it was not in flight (already finished, or its
   *     worker was removed)
   */
  public Assignment<W, T> finish(long id) {
    Assignment<W, T> assignment = inFlight.remove(id);
    if (assignment != null) {
      Slot<W> slot = slotOf(assignment.worker());
      if (slot != null) {
        long now = System.nanoTime();
        slot.lastAnswerNanos = now;
        if (slot.stuckOn == id) {
          slot.stuckOn = 0;
        }
        if (--slot.inFlight == 0) {
          slot.busyNanos += now - slot.busySince;
        }
      }
    }
    return assignment;
  }

  private Slot<W> slotOf(W worker) {
    for (Slot<W> slot : slots) {
      if (slot.worker.equals(worker)) {
        return slot;
      }
    }
    return null;
  }

  /**
   * Gives up on the tasks workers have been busy with for longer than a limit. A worker works
   * through what it holds in order, so only its oldest task can be under way; that one is overdue
   * when the time since it could start (its hand-out, or the worker's previous answer if later)
   * exceeds the limit. The overdue task stays in flight, and its worker gets nothing more until it
   * answers it (its answer is then handed back by {@link #finish} as usual); the tasks queued
   * behind it on that worker go back to the front of the queue with their attempts unchanged, for
   * the other workers, and answers to them from the stuck worker are ignored.
   *
   * @param limitNanos how long a task may be under way
   * @return the overdue tasks, each returned once
   */
  public List<Assignment<W, T>> giveUpOverdue(long limitNanos) {
    if (inFlight.isEmpty()) {
      return List.of();
    }
    Map<W, Assignment<W, T>> oldest = new HashMap<>();
    for (Assignment<W, T> a : inFlight.values()) {
      oldest.merge(a.worker(), a, (x, y) -> x.id() <= y.id() ? x : y);
    }
    long now = System.nanoTime();
    List<Assignment<W, T>> overdue = new ArrayList<>();
    List<Assignment<W, T>> behind = new ArrayList<>();
    for (Slot<W> slot : slots) {
      Assignment<W, T> first = oldest.get(slot.worker);
      if (first == null || slot.stuckOn != 0) {
        continue;
      }
      long start = Math.max(first.handedOutNanos(), slot.lastAnswerNanos);
      if (now - start <= limitNanos) {
        continue;
      }
      slot.stuckOn = first.id();
      overdue.add(first);
      for (Assignment<W, T> a : inFlight.values()) {
        if (a.worker().equals(slot.worker) && a.id() != first.id()) {
          behind.add(a);
          slot.inFlight--;
        }
      }
    }
    // Back to the front of the queue in the order they were first handed out.
    behind.sort(java.util.Comparator.comparingLong(Assignment::id));
    for (int i = behind.size() - 1; i >= 0; i--) {
      Assignment<W, T> a = behind.get(i);
      inFlight.remove(a.id());
      queue.addFirst(new Queued<>(a.task(), a.attempt()));
    }
    overdue.sort(java.util.Comparator.comparingLong(Assignment::id));
    return overdue;
  }

  /**
   * Returns the time workers have held at least one task, summed over the current workers: the
   * pool's busy time. Divided by wall time and worker count it is the pool's utilisation.
   */
  public long busyNanos() {
    long now = System.nanoTime();
    long total = 0;
    for (Slot<W> slot : slots) {
      total += slot.busyNanos + (slot.inFlight > 0 ? now - slot.busySince : 0);
    }
    return total;
  }

  /**
   * Takes every task waiting for a worker out of the queue (its owner is going away and gives them
   * back); the tasks workers hold stay.
   *
   * @return the tasks, in queue order
   */
  public java.util.List<T> takeQueued() {
    java.util.List<T> tasks = new java.util.ArrayList<>(queue.size());
    for (Queued<T> q : queue) {
      tasks.add(q.task());
    }
    queue.clear();
    return tasks;
  }

  /** Returns the number of tasks waiting for a worker. */
  public int queued() {
    return queue.size();
  }

  /** Returns the number of tasks held by workers. */
  public int inFlight() {
    return inFlight.size();
  }

  /** Returns the number of workers. */
  public int workers() {
    return slots.size();
  }

  /** Returns true when some worker could take a task now. */
  public boolean hasFreeSlot() {
    for (Slot<W> slot : slots) {
      if (slot.inFlight < slot.credit) {
        return true;
      }
    }
    return false;
  }

  /** Fraction of a slot's credit in use; compares workers of different credit fairly. */
  private static double load(Slot<?> slot) {
    return (double) slot.inFlight / slot.credit;
  }

  /** Returns true when no task is queued or in flight. */
  public boolean isIdle() {
    return queue.isEmpty() && inFlight.isEmpty();
  }
}
