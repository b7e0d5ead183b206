package io.troupe.examples.orders;

import io.troupe.sdk.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The orders worker: takes a batch item, works out its orders from the seed, and hands the batch to
 * a {@link BatchPlacement} child that places them and answers the item. The worker is free for its
 * next item at once; how many batches a node runs at once is bounded by the job's credit (workers
 * times {@code max-in-flight-per-worker}).
 *
 * <p>Implementation notes: a child that fails (a bug) fails its item, so the coordinator retries it
 * instead of waiting for the item timeout.
 */
final class OrdersWorker extends AbstractBehavior<Task<OrdersPipeline.OrderBatch, OrdersTally>> {

  static Behavior<Task<OrdersPipeline.OrderBatch, OrdersTally>> create(
      OrdersPipeline.Options options, String job) {
    return Behaviors.setup(ctx -> new OrdersWorker(ctx, options, job));
  }

  private final OrdersPipeline.Options options;
  private final String job;
  private final Map<ActorRef<?>, Task<OrdersPipeline.OrderBatch, OrdersTally>> batches =
      new HashMap<>();

  private OrdersWorker(
      ActorContext<Task<OrdersPipeline.OrderBatch, OrdersTally>> ctx,
      OrdersPipeline.Options options,
      String job) {
    super(ctx);
    this.options = options;
    this.job = job;
  }

  @Override
  public Receive<Task<OrdersPipeline.OrderBatch, OrdersTally>> createReceive() {
    return newReceiveBuilder()
        .onAnyMessage(this::onWork)
        .onSignal(ChildFailed.class, this::onChildFailed)
        .onSignal(Terminated.class, t -> onChildStopped(t.getRef()))
        .build();
  }

  private Behavior<Task<OrdersPipeline.OrderBatch, OrdersTally>> onWork(
      Task<OrdersPipeline.OrderBatch, OrdersTally> work) {
    OrdersPipeline.OrderBatch batch = work.payload();
    List<OrderLine> lines = new ArrayList<>(batch.count());
    for (int order = batch.first(); order < batch.first() + batch.count(); order++) {
      lines.add(Catalog.line(options.seed, order, options.skus));
    }
    ActorRef<BatchPlacement.Command> child =
        getContext().spawnAnonymous(BatchPlacement.create(work, lines, options.terms(), job));
    getContext().watch(child);
    batches.put(child, work);
    return this;
  }

  private Behavior<Task<OrdersPipeline.OrderBatch, OrdersTally>> onChildFailed(ChildFailed failed) {
    Task<OrdersPipeline.OrderBatch, OrdersTally> work = batches.remove(failed.getRef());
    if (work != null) {
      work.fail(failed.getCause());
    }
    return this;
  }

  private Behavior<Task<OrdersPipeline.OrderBatch, OrdersTally>> onChildStopped(
      ActorRef<Void> child) {
    batches.remove(child);
    return this;
  }
}
