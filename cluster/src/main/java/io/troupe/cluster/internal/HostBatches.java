package io.troupe.cluster.internal;

import io.troupe.actors.internal.WorkerGroup;
import io.troupe.cluster.metrics.JobMeters;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.TroupeMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The batches a job host holds unanswered, and their answers to the coordinator (internal API).
 *
 * <p>Implementation notes: owned by one {@link JobHost} and touched only from its message handlers.
 * An answer goes straight to the coordinator incarnation that handed the batch out. A result Artery
 * would drop on the way (unserializable, over the frame size) is found before sending: the batch's
 * answer then says so ({@link HostBatch#unsendableAnswer}), now rather than as a timeout minutes
 * later.
 */
final class HostBatches {

  private final Map<Long, HostBatch> open = new LinkedHashMap<>();
  private final ActorRef<JobHost.Command> host;
  private final Combiner<TroupeMessage> combiner;
  private final Sendable sendable;
  private final boolean checkEach;
  private final JobMeters meters;

  /**
   * Creates the batches of a host.
   *
   * @param host the host, which answers
   * @param combiner folds a batch's partials
   * @param sendable checks answers before they cross nodes
   * @param checkEach check each item's result on its own ({@code check-results = always})
   * @param meters the job's meters on this node
   */
  HostBatches(
      ActorRef<JobHost.Command> host,
      Combiner<TroupeMessage> combiner,
      Sendable sendable,
      boolean checkEach,
      JobMeters meters) {
    this.host = host;
    this.combiner = combiner;
    this.sendable = sendable;
    this.checkEach = checkEach;
    this.meters = meters;
  }

  /**
   * Takes a worker's result for an item, and answers its batch if that was the last item.
   *
   * @return true if the result counted as a completion (not a late answer, nor unsendable)
   */
  boolean completed(HostBatch.Piece piece, ItemResult result, WorkerGroup.Timing timing) {
    if (piece.batch().isAnswered(piece.position())) {
      return false; // given up on as overdue; this late answer changes nothing
    }
    String problem = checkEach ? itemProblem(piece, result) : null;
    if (problem != null) {
      failed(piece, problem);
      return false;
    }
    meters.completed(piece.item().stage(), timing.latencyNanos(), timing.serviceNanos());
    if (piece
        .batch()
        .completed(
            piece.position(),
            result,
            timing.latencyNanos(),
            timing.serviceNanos(),
            timing.queuedAhead())) {
      answer(piece.batch());
    }
    return true;
  }

  /** Takes an item's failed attempt, and answers its batch if that was the last item. */
  void failed(HostBatch.Piece piece, String reason) {
    if (piece.batch().isAnswered(piece.position())) {
      return;
    }
    meters.failed(piece.item().stage());
    if (piece.batch().failed(piece.position(), reason)) {
      answer(piece.batch());
    }
  }

  /** Takes a hand-out; its batch stays open until {@link #answer}. */
  HostBatch open(JobHost.Assign assign) {
    HostBatch batch = new HostBatch(assign, combiner);
    open.put(assign.handout(), batch);
    return batch;
  }

  /** Answers a hand-out that arrived while the host leaves: every item back, unstarted. */
  void giveBackAll(JobHost.Assign assign) {
    HostBatch batch = new HostBatch(assign, combiner);
    batch.giveBackAll();
    answer(batch);
  }

  /** Sends a batch's answer and closes it. */
  void answer(HostBatch batch) {
    open.remove(batch.assign().handout());
    JobCoordinator.BatchDone done = batch.answer(host);
    String problem = sendable.problem(done, batch.assign().replyTo());
    batch.assign().replyTo().tell(problem == null ? done : batch.unsendableAnswer(host, problem));
  }

  /**
   * Answers every open batch now, the items still under way given back (a leaving host that can
   * wait no longer).
   */
  void returnAll() {
    for (HostBatch batch : new ArrayList<>(open.values())) {
      batch.returnUnanswered();
      answer(batch);
    }
  }

  /**
   * Returns why one item's result could not cross nodes on its own, or null. Checked per item only
   * with {@code check-results = always}: otherwise a batch's combined answer is checked, and a
   * batch that cannot be sent goes out again item by item.
   */
  private String itemProblem(HostBatch.Piece piece, ItemResult result) {
    return sendable.problem(
        new JobCoordinator.BatchDone(
            host,
            piece.batch().assign().handout(),
            new int[] {piece.batch().assign().indices()[piece.position()]},
            result.partial(),
            result.newItems(),
            List.of(),
            new int[0],
            new int[0],
            List.of()),
        piece.batch().assign().replyTo());
  }

  /** Returns the open hand-outs' ids, told to the coordinator with every heartbeat. */
  long[] holding() {
    return open.keySet().stream().mapToLong(Long::longValue).toArray();
  }

  /** Returns how many batches are open. */
  int size() {
    return open.size();
  }

  /** Returns true when no batch is open. */
  boolean isEmpty() {
    return open.isEmpty();
  }
}
