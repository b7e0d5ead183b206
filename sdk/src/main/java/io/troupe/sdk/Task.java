package io.troupe.sdk;

import java.util.List;

/**
 * One work item handed to a worker, and the way to answer it. A worker answers every task exactly
 * once: {@link #complete} with the item's partial result (and any items it discovered), or {@link
 * #fail}. It may answer from inside its message handler or later, after asynchronous work.
 *
 * <p>An exception thrown while the worker handles a task fails that task's item, like {@link
 * #fail}: the item is retried (up to {@code troupe.jobs.max-attempts}) and then quarantined, and
 * the worker goes on with its next item. Only a worker whose handler throws on several items in a
 * row is restarted with a growing delay (a broken resource, not a bad item).
 *
 * @param <I> the payload type of the job's items
 * @param <P> the partial result type
 */
public interface Task<I extends TroupeMessage, P extends TroupeMessage> {

  /** Returns the item to process. */
  WorkItem<I> item();

  /** Returns the item's payload. */
  default I payload() {
    return item().payload();
  }

  /** Returns 1 for the first hand-out of the item, 2 for its first retry, and so on. */
  int attempt();

  /**
   * Answers with the item's partial result.
   *
   * @param partial the item's contribution to the job's result
   */
  void complete(P partial);

  /**
   * Answers with the item's partial result and new items of the same job: fork/join children, a
   * crawler's links. Items whose id the job already has are ignored, so workers need not
   * deduplicate.
   *
   * @param partial the item's contribution to the job's result
   * @param newItems items to add to the job
   */
  void complete(P partial, List<WorkItem<I>> newItems);

  /**
   * Answers that processing the item failed; it is retried, then quarantined.
   *
   * @param error what went wrong; its class and message are recorded
   */
  void fail(Throwable error);
}
