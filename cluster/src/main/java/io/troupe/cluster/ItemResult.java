package io.troupe.cluster;

import io.troupe.actors.TroupeMessage;
import io.troupe.persistence.WorkItem;
import java.util.List;
import java.util.Objects;

/**
 * A worker's answer for one item: its partial result and the items it discovered.
 *
 * @param partial the item's contribution to the job's result
 * @param newItems new items of the same job (fork/join children, a crawler's links); items whose id
 *     the job already has are ignored, so workers need not deduplicate
 */
public record ItemResult(TroupeMessage partial, List<WorkItem> newItems) {

  /** Copies the list and rejects nulls. */
  public ItemResult {
    Objects.requireNonNull(partial, "partial");
    newItems = List.copyOf(newItems);
  }

  /**
   * Returns a result with no new items.
   *
   * @param partial the item's contribution
   * @return the result
   */
  public static ItemResult of(TroupeMessage partial) {
    return new ItemResult(partial, List.of());
  }
}
