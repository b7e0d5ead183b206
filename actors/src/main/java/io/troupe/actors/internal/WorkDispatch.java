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
    final int credit;
    int inFlight;
    long busySince;
    long busyNanos;

    Slot(W worker, int credit) {
      this.worker = worker;
      this.credit = credit;
    }
  }

  private final int creditPerWorker;
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
      if (slot.inFlight < slot.credit && (best == null || load(slot) < load(best))) {
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
      for (Slot<W> slot : slots) {
        if (slot.worker.equals(assignment.worker())) {
          if (--slot.inFlight == 0) {
            slot.busyNanos += System.nanoTime() - slot.busySince;
          }
          break;
        }
      }
    }
    return assignment;
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

  /**
   * Returns the assignments in flight for which {@code predicate} holds, oldest first; does not
   * change anything.
   */
  public List<Assignment<W, T>> inFlightWhere(java.util.function.Predicate<Assignment<W, T>> p) {
    List<Assignment<W, T>> found = new ArrayList<>();
    for (Assignment<W, T> a : inFlight.values()) {
      if (p.test(a)) {
        found.add(a);
      }
    }
    found.sort(java.util.Comparator.comparingLong(Assignment::id));
    return found;
  }

  /** Returns true when no task is queued or in flight. */
  public boolean isIdle() {
    return queue.isEmpty() && inFlight.isEmpty();
  }
}
