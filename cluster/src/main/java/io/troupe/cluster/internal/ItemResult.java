package io.troupe.cluster.internal;

import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.util.List;
import java.util.Objects;

/**
 * A worker's answer for one item as the runtime carries it: the partial result and the items the
 * worker discovered (internal API; workers answer through {@link io.troupe.sdk.Task}).
 *
 * @param partial the item's contribution to the job's result
 * @param newItems new items of the same job; those whose id the job already has are ignored
 */
public record ItemResult(TroupeMessage partial, List<WorkItem<?>> newItems) {

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
