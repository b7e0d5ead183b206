package io.troupe.cluster.internal;

import io.troupe.sdk.ItemPlan;
import io.troupe.sdk.WorkItem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which items a running job has, which are finished, and which to hand out next (internal API).
 *
 * <p>Implementation notes: owned by the job's coordinator and touched only from its message
 * handlers (it is built on the blocking dispatcher, before the coordinator owns it). Items are
 * indices: an indexed plan's items {@code 0 .. planned-1} are made on demand; a listed plan's, and
 * each discovered item (which takes the next index), are held as objects until they are finished,
 * and by id after that. Finished items are bits. Items wait in two places: a cursor that passes
 * every index once, in order, and a queue of indices handed back (their node left, a batch was
 * refused, a retry came due), which goes first. So the coordinator's memory grows with the items in
 * flight and the items it must hold, not with an indexed plan. Ids are only indexed (for the
 * de-duplication of discovered items) once the job discovers an item.
 */
final class ItemBook {

  private final ItemPlan<?> plan;
  private final int storedFrom;
  private final ArrayList<WorkItem<?>> stored;
  private final ArrayList<String> storedIds;
  private final BitSet finished;
  private int finishedCount;
  private final Map<Integer, Integer> failures;
  private final BitSet startedBefore;
  private final ArrayDeque<Integer> returned = new ArrayDeque<>();
  private final BitSet alone = new BitSet();
  private int cursor;
  private Map<String, Integer> ids;
  private final Map<String, long[]> pendingByStage = new TreeMap<>();

  /**
   * Creates the book of a job from its plan and what its ledger holds.
   *
   * @param plan the job's indexed plan, for the items before {@code storedFrom}; null if it is 0
   * @param stored the items from index {@code storedFrom} on (a listed plan's, discovered ones);
   *     finished ones may be null
   * @param storedIds the ids of the stored items, finished or not
   * @param storedFrom the index of the first stored item: 0, or the indexed plan's size
   * @param finished the items the ledger has as completed or quarantined
   * @param failures failed attempts so far per pending item
   * @param startedBefore pending items an earlier run handed out
   */
  ItemBook(
      ItemPlan<?> plan,
      List<WorkItem<?>> stored,
      List<String> storedIds,
      int storedFrom,
      BitSet finished,
      Map<Integer, Integer> failures,
      BitSet startedBefore) {
    if (storedFrom > 0 && (plan == null || plan.size() != storedFrom)) {
      throw new IllegalArgumentException("an indexed plan of " + storedFrom + " items is needed");
    }
    if (stored.size() != storedIds.size()) {
      throw new IllegalArgumentException("stored items and ids differ in number");
    }
    this.plan = plan;
    this.storedFrom = storedFrom;
    this.stored = new ArrayList<>(stored);
    this.storedIds = new ArrayList<>(storedIds);
    this.finished = (BitSet) finished.clone();
    this.finishedCount = this.finished.cardinality();
    this.failures = new HashMap<>(failures);
    this.startedBefore = (BitSet) startedBefore.clone();
    for (int i = this.finished.nextClearBit(0);
        i < total();
        i = this.finished.nextClearBit(i + 1)) {
      stageCounts(item(i).stage())[0]++;
    }
  }

  /**
   * Creates the book of a new job.
   *
   * @param plan the job's plan
   * @return the book: an indexed plan's items are made on demand, a listed plan's are held
   */
  static ItemBook of(ItemPlan<?> plan) {
    if (plan.indexed()) {
      return new ItemBook(
          plan, List.of(), List.of(), plan.size(), new BitSet(), Map.of(), new BitSet());
    }
    List<WorkItem<?>> items = new ArrayList<>(plan.size());
    List<String> itemIds = new ArrayList<>(plan.size());
    for (int i = 0; i < plan.size(); i++) {
      WorkItem<?> item = plan.item(i);
      items.add(item);
      itemIds.add(item.id());
    }
    return new ItemBook(null, items, itemIds, 0, new BitSet(), Map.of(), new BitSet());
  }

  /** Returns the number of items the job has: planned and discovered. */
  int total() {
    return storedFrom + stored.size();
  }

  /** Returns the index of the first item held as an object: 0, or an indexed plan's size. */
  int storedFrom() {
    return storedFrom;
  }

  /** Returns the number of items completed or quarantined. */
  int finishedCount() {
    return finishedCount;
  }

  /** Returns the number of items neither completed nor quarantined. */
  int pendingCount() {
    return total() - finishedCount;
  }

  /** Returns true if the item exists and is neither completed nor quarantined. */
  boolean isPending(int index) {
    return index >= 0 && index < total() && !finished.get(index);
  }

  /** Returns an item; made again by an indexed plan. */
  WorkItem<?> item(int index) {
    if (index < storedFrom) {
      return plan.item(index);
    }
    WorkItem<?> item = stored.get(index - storedFrom);
    if (item == null) {
      throw new IllegalStateException("item " + index + " is finished");
    }
    return item;
  }

  /** Returns the failed attempts so far of a pending item. */
  int failuresOf(int index) {
    return failures.getOrDefault(index, 0);
  }

  /** Counts one more failed attempt of an item; returns the attempts failed so far. */
  int failed(int index) {
    return failures.merge(index, 1, Integer::sum);
  }

  /**
   * Marks an item finished (completed or quarantined).
   *
   * @return true if it was pending; false if it was finished already
   */
  boolean finish(int index) {
    if (!isPending(index)) {
      return false;
    }
    finished.set(index);
    finishedCount++;
    failures.remove(index);
    stageCounts(item(index).stage())[0]--;
    if (index >= storedFrom) {
      stored.set(index - storedFrom, null);
    }
    return true;
  }

  /** Counts one finished item of a stage off the pending counts; see {@link #finishAll}. */
  private void finishedOf(String stage, int n) {
    stageCounts(stage)[0] -= n;
  }

  /**
   * Marks items finished whose stages the caller knows, without making them again.
   *
   * @param indices the items, all pending
   * @param stages per stage, how many of them
   */
  void finishAll(int[] indices, Map<String, Integer> stages) {
    for (int index : indices) {
      finished.set(index);
      finishedCount++;
      failures.remove(index);
      if (index >= storedFrom) {
        stored.set(index - storedFrom, null);
      }
    }
    stages.forEach(this::finishedOf);
  }

  /** Returns true if every item is pending (and exists); none of them is finished. */
  boolean allPending(int[] indices) {
    for (int index : indices) {
      if (!isPending(index)) {
        return false;
      }
    }
    return true;
  }

  /** Returns true if an earlier run had handed out this item; forgets it. */
  boolean takeStartedBefore(int index) {
    boolean was = startedBefore.get(index);
    startedBefore.clear(index);
    return was;
  }

  /**
   * Adds discovered items, skipping those whose id the job has, up to a total.
   *
   * @param items the items a worker discovered
   * @param max the most items the job may have
   * @return the items added, in index order from the old {@link #total()}; and how many were
   *     dropped for the cap, in {@link Added#dropped}
   */
  Added discover(List<WorkItem<?>> items, long max) {
    if (items.isEmpty()) {
      return new Added(List.of(), 0);
    }
    indexIds();
    List<WorkItem<?>> fresh = new ArrayList<>();
    int dropped = 0;
    for (WorkItem<?> item : items) {
      if (ids.containsKey(item.id())) {
        continue;
      }
      if (total() >= max || total() == Integer.MAX_VALUE) {
        dropped++;
        continue;
      }
      ids.put(item.id(), total());
      stored.add(item);
      storedIds.add(item.id());
      stageCounts(item.stage())[0]++;
      fresh.add(item);
    }
    return new Added(fresh, dropped);
  }

  /**
   * Items added by {@link #discover}.
   *
   * @param items the items added
   * @param dropped items dropped because the job had its maximum
   */
  record Added(List<WorkItem<?>> items, int dropped) {}

  private void indexIds() {
    if (ids != null) {
      return;
    }
    ids = new HashMap<>();
    for (int i = 0; i < storedFrom; i++) {
      ids.put(plan.item(i).id(), i);
    }
    for (int i = 0; i < storedIds.size(); i++) {
      ids.put(storedIds.get(i), storedFrom + i);
    }
  }

  /** Puts an item back at the front of the queue (its node left, a retry came due). */
  void giveBack(int index) {
    returned.addFirst(index);
  }

  /**
   * Puts an item back at the front of the queue, to be handed out alone (its batch's answer could
   * not be sent as a whole).
   */
  void giveBackAlone(int index) {
    alone.set(index);
    returned.addFirst(index);
  }

  /** True if the item goes out in a batch of its own: a retry, or a returned item. */
  private boolean goesAlone(int index) {
    return failuresOf(index) > 0 || alone.get(index);
  }

  /** Returns true if some item waits to be handed out (it may turn out finished when taken). */
  boolean hasWaiting() {
    return !returned.isEmpty() || nextAtCursor() < total();
  }

  private int nextAtCursor() {
    return finished.nextClearBit(cursor);
  }

  /**
   * Takes up to {@code max} items to hand out: items given back first, then the cursor's. Items
   * that finished meanwhile are skipped, and a retried item (a failed attempt before) goes alone,
   * so a batch's items share an attempt number.
   *
   * @param max the most items; at least 1
   * @return the indices, possibly empty
   */
  int[] take(int max) {
    int[] out = new int[max];
    int n = 0;
    while (n < max && !returned.isEmpty()) {
      int index = returned.peekFirst();
      if (!isPending(index)) {
        returned.pollFirst();
        continue;
      }
      if (goesAlone(index) && n > 0) {
        break;
      }
      returned.pollFirst();
      out[n++] = index;
      if (goesAlone(index)) {
        alone.clear(index);
        return java.util.Arrays.copyOf(out, n);
      }
    }
    while (n < max) {
      int index = nextAtCursor();
      if (index >= total()) {
        break;
      }
      if (failuresOf(index) > 0) {
        if (n > 0) {
          break;
        }
        cursor = index + 1;
        out[n++] = index;
        break;
      }
      cursor = index + 1;
      out[n++] = index;
    }
    return n == max ? out : java.util.Arrays.copyOf(out, n);
  }

  /**
   * Returns, per stage, the items still to complete or quarantine: {@code [pending, 0]}; the caller
   * fills in the second slot (items hosts hold). Do not keep it.
   */
  Map<String, long[]> pendingByStage() {
    Map<String, long[]> copy = new TreeMap<>();
    pendingByStage.forEach((stage, c) -> copy.put(stage, new long[] {c[0], 0}));
    return copy;
  }

  private long[] stageCounts(String stage) {
    return pendingByStage.computeIfAbsent(stage, s -> new long[1]);
  }
}
