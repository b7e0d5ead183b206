package io.troupe.sdk;

import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A job's initial items, by index: what {@link Pipeline#itemPlan} returns.
 *
 * <p>An <em>indexed</em> plan makes item {@code i} on demand from the options and {@code i} alone,
 * so a job of ten million items never holds them as a list: its coordinator pulls each item when it
 * hands it out, and its ledger stores only the plan's size, not the items. Use one whenever the
 * items follow from the options (segments of a range, tiles of an image, batches of a simulation).
 * A plan {@linkplain #of listed} from a list (what {@link Pipeline#plan} returns) is stored in the
 * job's ledger when the job is submitted, so a resumed job does not depend on planning the same
 * list again (an input file may have changed).
 *
 * @param <I> the payload type of the items
 */
public interface ItemPlan<I extends TroupeMessage> {

  /** Returns the number of items; at most {@link Integer#MAX_VALUE}. */
  int size();

  /**
   * Returns one item.
   *
   * @param index from 0 to {@link #size()} - 1
   * @return the item; the same for the same options and index, with an id unique within the job
   */
  WorkItem<I> item(int index);

  /**
   * Returns true if the plan is indexed: {@link #item} is a pure function of the options and the
   * index, so Troupe re-creates items instead of storing them.
   */
  boolean indexed();

  /**
   * Returns every item as a list, in index order: for a pipeline's tests, and small plans.
   *
   * @return the items
   */
  default List<WorkItem<I>> toList() {
    List<WorkItem<I>> items = new java.util.ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      items.add(item(i));
    }
    return items;
  }

  /**
   * Returns a plan of listed items, stored in the job's ledger.
   *
   * @param items the items, with distinct ids
   * @param <I> the payload type
   * @return the plan
   */
  static <I extends TroupeMessage> ItemPlan<I> of(List<WorkItem<I>> items) {
    List<WorkItem<I>> copy = List.copyOf(items);
    return new ItemPlan<>() {
      @Override
      public int size() {
        return copy.size();
      }

      @Override
      public WorkItem<I> item(int index) {
        return copy.get(index);
      }

      @Override
      public boolean indexed() {
        return false;
      }
    };
  }

  /**
   * Returns an indexed plan: items made on demand.
   *
   * <pre>{@code
   * ItemPlan.indexed(segments, i -> WorkItem.of("segment-" + i, "sieve", segment(i)))
   * }</pre>
   *
   * @param size the number of items; not negative
   * @param item makes item {@code i} from {@code i} alone (and the options it captures); must be
   *     deterministic and cheap, and give distinct ids
   * @param <I> the payload type
   * @return the plan
   */
  static <I extends TroupeMessage> ItemPlan<I> indexed(int size, IntFunction<WorkItem<I>> item) {
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, was " + size);
    }
    Objects.requireNonNull(item, "item");
    return new ItemPlan<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public WorkItem<I> item(int index) {
        Objects.checkIndex(index, size);
        return Objects.requireNonNull(item.apply(index), "the plan made no item " + index);
      }

      @Override
      public boolean indexed() {
        return true;
      }
    };
  }
}
