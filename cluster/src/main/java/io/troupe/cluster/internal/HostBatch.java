package io.troupe.cluster.internal;

import io.troupe.sdk.Combiner;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One hand-out as a job host works through it: its items go to the node's workers one by one, and
 * their answers fold into one partial here, so the coordinator and the ledger see one partial per
 * batch instead of one per item (internal API).
 *
 * <p>Implementation notes: owned by the host actor. The combiner's {@link Combiner#merge} is
 * associative and commutative, so folding a batch's partials on its node before they travel gives
 * the same result as folding them at the ledger. A batch with one completed item passes that item's
 * partial on untouched. Failed items are reported one by one, and only the completed ones are in
 * the partial.
 */
final class HostBatch {

  /** One item of a batch, as the host hands it to a worker. */
  record Piece(HostBatch batch, int position) {
    WorkItem<?> item() {
      return batch.assign.items().get(position);
    }

    int attempt() {
      return batch.assign.attempts() == null ? 1 : batch.assign.attempts()[position];
    }
  }

  private final JobHost.Assign assign;
  private final Combiner<TroupeMessage> combiner;

  /** The first completed item's partial, as its worker made it, or the batch's accumulator. */
  private TroupeMessage partial;

  /** True once {@link #partial} is this batch's own accumulator, which merges may modify. */
  private boolean accumulating;

  private final int[] completed;
  private int completedCount;
  private final List<WorkItem<?>> discovered = new ArrayList<>();
  private final List<JobCoordinator.Failure> failures = new ArrayList<>();
  private final Map<String, JobCoordinator.StageTimes.Builder> stages = new LinkedHashMap<>();
  private final boolean[] answeredAt;
  private int answered;

  /**
   * Items given back: started ({@link #returnUnanswered}) and never started ({@link #giveBack}).
   */
  private final int[] returned;

  private int returnedCount;
  private final int[] unstarted;
  private int unstartedCount;

  HostBatch(JobHost.Assign assign, Combiner<TroupeMessage> combiner) {
    this.assign = assign;
    this.combiner = combiner;
    this.completed = new int[assign.indices().length];
    this.answeredAt = new boolean[completed.length];
    this.returned = new int[completed.length];
    this.unstarted = new int[completed.length];
  }

  /**
   * Gives an item back that no worker has started (its node leaves); ignored if it has its answer.
   *
   * @return true when this completes the batch
   */
  boolean giveBack(int position) {
    if (answeredAt[position]) {
      return false;
    }
    answeredAt[position] = true;
    unstarted[unstartedCount++] = assign.indices()[position];
    return ++answered == completed.length;
  }

  /**
   * Gives back every item without an answer yet, as under way (its node can wait no longer), so
   * that the batch can be answered now; late answers of their workers are then ignored.
   */
  void returnUnanswered() {
    for (int position = 0; position < completed.length; position++) {
      if (!answeredAt[position]) {
        answeredAt[position] = true;
        returned[returnedCount++] = assign.indices()[position];
        answered++;
      }
    }
  }

  /** Gives back every item of a batch that arrived when its node was already leaving. */
  void giveBackAll() {
    for (int position = 0; position < completed.length; position++) {
      giveBack(position);
    }
  }

  /**
   * Returns true once the item at this position has its answer: a result, a failure, or a timeout
   * given up on it while its worker was still busy (that worker's late answer is then ignored).
   */
  boolean isAnswered(int position) {
    return answeredAt[position];
  }

  /** Returns the batch's pieces, to hand to workers. */
  List<Piece> pieces() {
    List<Piece> pieces = new ArrayList<>(completed.length);
    for (int i = 0; i < completed.length; i++) {
      pieces.add(new Piece(this, i));
    }
    return pieces;
  }

  /** Returns the hand-out this batch answers. */
  JobHost.Assign assign() {
    return assign;
  }

  /**
   * Takes one item's result; ignored if the item already has its answer.
   *
   * @return true when this answer completes the batch
   */
  boolean completed(
      int position, ItemResult result, long latencyNanos, long serviceNanos, int ahead) {
    if (answeredAt[position]) {
      return false;
    }
    answeredAt[position] = true;
    if (partial == null) {
      // Passed on as it is unless a second item completes: a batch of one item (large items)
      // then costs no copy. A combiner may modify its accumulator, never a worker's partial.
      partial = result.partial();
    } else {
      if (!accumulating) {
        partial = combiner.merge(combiner.zero(), partial);
        accumulating = true;
      }
      partial = combiner.merge(partial, result.partial());
    }
    completed[completedCount++] = assign.indices()[position];
    discovered.addAll(result.newItems());
    String stage = assign.items().get(position).stage();
    stages
        .computeIfAbsent(stage, s -> new JobCoordinator.StageTimes.Builder(s, completed.length))
        .add(latencyNanos, serviceNanos, ahead);
    return ++answered == completed.length;
  }

  /**
   * Takes one item's failure; ignored if the item already has its answer.
   *
   * @return true when this answer completes the batch
   */
  boolean failed(int position, String reason) {
    if (answeredAt[position]) {
      return false;
    }
    answeredAt[position] = true;
    failures.add(new JobCoordinator.Failure(assign.indices()[position], reason));
    return ++answered == completed.length;
  }

  /** Returns the answer to the coordinator, once every item is answered. */
  JobCoordinator.BatchDone answer(org.apache.pekko.actor.typed.ActorRef<JobHost.Command> host) {
    List<JobCoordinator.StageTimes> times = new ArrayList<>(stages.size());
    stages.values().forEach(b -> times.add(b.build()));
    return new JobCoordinator.BatchDone(
        host,
        assign.handout(),
        java.util.Arrays.copyOf(completed, completedCount),
        partial,
        List.copyOf(discovered),
        List.copyOf(failures),
        java.util.Arrays.copyOf(returned, returnedCount),
        java.util.Arrays.copyOf(unstarted, unstartedCount),
        times);
  }

  /**
   * Returns the answer for a batch whose answer cannot be sent (over the frame size, or not
   * serializable): a batch of one item fails that item with the reason; a larger one returns its
   * completed items, to be handed out again one by one, so that only the item at fault fails.
   */
  JobCoordinator.BatchDone unsendableAnswer(
      org.apache.pekko.actor.typed.ActorRef<JobHost.Command> host, String reason) {
    int[] done = java.util.Arrays.copyOf(completed, completedCount);
    int[] back = java.util.Arrays.copyOf(unstarted, unstartedCount);
    if (completed.length > 1) {
      int[] all = java.util.Arrays.copyOf(done, done.length + returnedCount);
      System.arraycopy(returned, 0, all, done.length, returnedCount);
      return new JobCoordinator.BatchDone(
          host,
          assign.handout(),
          new int[0],
          null,
          List.of(),
          List.copyOf(failures),
          all,
          back,
          List.of());
    }
    List<JobCoordinator.Failure> all = new ArrayList<>(failures);
    for (int index : done) {
      all.add(new JobCoordinator.Failure(index, reason));
    }
    return new JobCoordinator.BatchDone(
        host,
        assign.handout(),
        new int[0],
        null,
        List.of(),
        all,
        java.util.Arrays.copyOf(returned, returnedCount),
        back,
        List.of());
  }

  /** Returns the number of items in the batch. */
  int size() {
    return completed.length;
  }
}
