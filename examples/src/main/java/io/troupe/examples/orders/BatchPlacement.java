package io.troupe.examples.orders;

import io.troupe.sdk.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Places one batch of orders and answers the batch's work item with how each ended: a short-lived
 * child of an {@link OrdersWorker}, one per item.
 *
 * <p>Implementation notes: every order of the batch is placed at once, so the sagas run
 * concurrently on whichever nodes their entities live. Outcomes come back through one message
 * adapter (no ask per order: see {@link Order} on asks on small machines). Every {@link
 * #RESEND_AFTER}, the orders without an outcome are placed again: placing is idempotent, so an
 * order still busy just answers later, and the new message is what re-creates an order whose node
 * died (its saga then resumes from its journal). The batch answers once every order has ended; if
 * that takes longer than {@link #DEADLINE}, the item fails and the coordinator hands it out again,
 * which places the same orders again, harmlessly.
 */
final class BatchPlacement extends AbstractBehavior<BatchPlacement.Command> {

  /** How long an order may take before it is placed again. */
  static final Duration RESEND_AFTER = Duration.ofSeconds(5);

  /** How long one attempt at a batch may take before its item fails. */
  static final Duration DEADLINE = Duration.ofMinutes(2);

  /** Messages a batch understands; local only. */
  sealed interface Command {}

  private record Answered(Order.Outcome outcome) implements Command {}

  private enum ResendDue implements Command {
    INSTANCE
  }

  private enum DeadlinePassed implements Command {
    INSTANCE
  }

  /**
   * Returns the behavior of one batch.
   *
   * @param work the item to answer
   * @param lines the batch's orders
   * @param terms the job's terms
   * @param job the job's id
   * @return the behavior
   */
  static Behavior<Command> create(
      Task<OrdersPipeline.OrderBatch, OrdersTally> work,
      List<OrderLine> lines,
      Terms terms,
      String job) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new BatchPlacement(ctx, timers, work, lines, terms, job)));
  }

  private final Task<OrdersPipeline.OrderBatch, OrdersTally> work;
  private final Terms terms;
  private final String job;
  private final ClusterSharding sharding;
  private final ActorRef<Order.Outcome> outcomes;
  private final Map<Integer, OrderLine> waiting = new LinkedHashMap<>();
  private final List<OrdersTally.Decided> decided = new ArrayList<>();
  private int resent;

  private BatchPlacement(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      Task<OrdersPipeline.OrderBatch, OrdersTally> work,
      List<OrderLine> lines,
      Terms terms,
      String job) {
    super(ctx);
    this.work = work;
    this.terms = terms;
    this.job = job;
    this.sharding = ClusterSharding.get(ctx.getSystem());
    this.outcomes = ctx.messageAdapter(Order.Outcome.class, Answered::new);
    lines.forEach(line -> waiting.put(line.order(), line));
    waiting.values().forEach(this::place);
    timers.startTimerWithFixedDelay(ResendDue.INSTANCE, RESEND_AFTER);
    timers.startSingleTimer(DeadlinePassed.INSTANCE, DEADLINE);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Answered.class, this::onAnswered)
        .onMessageEquals(ResendDue.INSTANCE, this::onResendDue)
        .onMessageEquals(DeadlinePassed.INSTANCE, this::onDeadline)
        .build();
  }

  private void place(OrderLine line) {
    sharding
        .entityRefFor(Order.TYPE_KEY, Order.entityId(job, line.order()))
        .tell(new Order.Place(line, terms, outcomes));
  }

  private Behavior<Command> onAnswered(Answered answered) {
    Order.Outcome outcome = answered.outcome();
    OrderLine line = waiting.remove(outcome.order());
    if (line == null) {
      return this; // a second answer, to a resent placement
    }
    decided.add(new OrdersTally.Decided(line.order(), line.sku(), line.units(), outcome.status()));
    if (!waiting.isEmpty()) {
      return this;
    }
    if (resent > 0) {
      getContext()
          .getLog()
          .info(
              "Batch [{}] of job [{}] done after placing {} order(s) again",
              work.item().id(),
              job,
              resent);
    }
    work.complete(new OrdersTally(decided, List.of(), List.of()));
    return Behaviors.stopped();
  }

  private Behavior<Command> onResendDue() {
    resent += waiting.size();
    waiting.values().forEach(this::place);
    return this;
  }

  private Behavior<Command> onDeadline() {
    work.fail(
        new TimeoutException(
            waiting.size()
                + " order(s) of "
                + work.item().id()
                + " did not end within "
                + DEADLINE));
    return Behaviors.stopped();
  }
}
