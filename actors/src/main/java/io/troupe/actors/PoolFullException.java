package io.troupe.actors;

/** A {@link WorkerPool} refused an item because its queue was at its bound. */
public final class PoolFullException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param maxQueued the queue bound that was reached
   */
  public PoolFullException(int maxQueued) {
    super("worker pool queue is full (" + maxQueued + " items queued); retry later or slow down");
  }
}
