package io.troupe.cluster.internal;

import io.troupe.sdk.WorkItem;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * How a running job's items go out (internal API): in batches, to the hosts with free credit, each
 * batch about {@code troupe.jobs.batch.target} of work at the items' measured processing time.
 *
 * <p>Implementation notes: owned by the coordinator's {@link Running} phase. The time per item is a
 * moving average of what hosts measure, weighed by items ({@link #average}); until the first batch
 * is answered, batches hold one item, so a job of slow items never starts with a large batch on one
 * node. Near the end of a job a batch holds no more than a fair share of what waits, so the last
 * items spread over the hosts.
 */
final class BatchDispatch {

  /** The weight of one item's time in the moving average. */
  static final double ITEM_WEIGHT = 0.2;

  private final ItemBook book;
  private final HostDirectory<ActorRef<JobHost.Command>> hosts;
  private final LedgerWriter writer;
  private final JobSettings settings;
  private double serviceNanosPerItem;

  BatchDispatch(
      ItemBook book,
      HostDirectory<ActorRef<JobHost.Command>> hosts,
      LedgerWriter writer,
      JobSettings settings) {
    this.book = book;
    this.hosts = hosts;
    this.writer = writer;
    this.settings = settings;
  }

  /**
   * Takes the processing times of a batch's items into the average.
   *
   * @param serviceNanos their total processing time
   * @param items how many items
   */
  void measured(long serviceNanos, int items) {
    serviceNanosPerItem = average(serviceNanosPerItem, serviceNanos, items);
  }

  /**
   * Returns the moving average of the time per item after a batch: each item counts as one step of
   * weight {@link #ITEM_WEIGHT}, so a batch of many items weighs as much as that many batches of
   * one. Weighing batches alike instead made a job's start slow: its first items, run by code not
   * yet compiled, take a thousand times longer than the rest, and their time sized the next dozens
   * of batches at a few items each.
   *
   * @param before the average so far, or 0 if none
   * @param serviceNanos the batch's items' total processing time
   * @param items how many items the batch timed
   * @return the new average
   */
  static double average(double before, long serviceNanos, int items) {
    if (items <= 0) {
      return before;
    }
    double mean = (double) serviceNanos / items;
    if (before == 0) {
      return mean;
    }
    double kept = Math.pow(1 - ITEM_WEIGHT, items);
    return kept * before + (1 - kept) * mean;
  }

  /**
   * Hands out batches while hosts have credit and the ledger keeps up.
   *
   * @param coordinator where hosts answer
   */
  void handOut(ActorRef<JobCoordinator.Command> coordinator) {
    while (writer.unwritten() < settings.ledgerMaxUnwritten() && book.hasWaiting()) {
      ActorRef<JobHost.Command> host = hosts.freeHost();
      if (host == null) {
        return;
      }
      int[] indices = book.take(batchSize());
      if (indices.length == 0) {
        return;
      }
      WorkItem<?>[] items = new WorkItem<?>[indices.length];
      int[] attempts = null;
      for (int i = 0; i < indices.length; i++) {
        items[i] = book.item(indices[i]);
        int failures = book.failuresOf(indices[i]);
        if (failures > 0) {
          if (attempts == null) {
            attempts = new int[indices.length];
            Arrays.fill(attempts, 1);
          }
          attempts[i] = failures + 1;
        }
      }
      HostDirectory.HandOut<ActorRef<JobHost.Command>> out = hosts.handOut(host, indices, items);
      writer.started(indices);
      host.tell(new JobHost.Assign(out.id(), indices, List.of(items), attempts, coordinator));
    }
  }

  /** Returns the size of the next batch. */
  private int batchSize() {
    long byTime =
        serviceNanosPerItem <= 0
            ? 1
            : (long) (settings.batchTarget().toNanos() / serviceNanosPerItem);
    int free = Math.max(1, hosts.freeCredit());
    long waiting = Math.max(1, book.pendingCount() - hosts.itemsInFlight());
    long share = (waiting + free - 1) / free;
    return (int) Math.max(1, Math.min(settings.batchMaxItems(), Math.min(byTime, share)));
  }

  /**
   * Returns how long a batch may take before it counts as lost: one item timeout per round of the
   * host's workers through it, and one more, from its hand-out or the host's latest heartbeat that
   * says it still holds it. A host gives up on an item its worker holds past the item timeout
   * itself and answers the rest of the batch, so this fires only for a host that is gone or stuck
   * (or a hand-out that never reached it), and then fails every item of the batch.
   *
   * @param handOut the batch
   * @return the time in nanoseconds
   */
  long timeoutNanos(HostDirectory.HandOut<ActorRef<JobHost.Command>> handOut) {
    int workers = Math.max(1, hosts.workersOf(handOut.host()));
    long rounds = Math.max(1, (handOut.indices().length + workers - 1) / workers);
    return settings.itemTimeout().toNanos() * (rounds + 1);
  }
}
