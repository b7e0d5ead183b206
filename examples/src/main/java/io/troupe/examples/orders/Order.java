package io.troupe.examples.orders;

import io.troupe.sdk.TroupeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One order of an orders job and the saga that carries it out: a sharded, event-sourced entity.
 *
 * <pre>
 * new ──reserve──▶ RESERVED ──charge──▶ CHARGED ──commit, notify──▶ COMPLETED
 *  │                  │
 *  └▶ REJECTED_OUT_OF_STOCK          └▶ PAYMENT_DECLINED ──release──▶ COMPENSATED
 * </pre>
 *
 * <p>Implementation notes: the entity id is {@code job~o-<n>}. Each arrow is a command to another
 * entity (the SKU's {@link Inventory}, a {@link PaymentGateway}) or to the node's {@link Notifier};
 * its answer is persisted as the next state before the next step is sent, so the journal always
 * says which step is next. A step not answered within the ask timeout (the peer's node died, or it
 * is busy) is sent again, for as long as it takes; a step answered with an error is sent again
 * after a short delay. Every receiver is idempotent by order number and gives the same answer
 * however often it is asked, so a step may arrive twice but takes effect once, and a late answer to
 * an earlier attempt is as good as the current one: answers are accepted by the phase they belong
 * to, and dropped in any other. Answers come back through message adapters, not {@code
 * ActorContext.ask}: an ask completes through a {@code CompletionStage} whose callbacks run on the
 * common fork/join pool, and on a two-core machine that pool starts a new thread per callback,
 * which made jobs several times slower. After a crash (its node died, or it was passivated
 * mid-saga) the order recovers its state from the journal when the next message arrives, and sends
 * the step it was on again; the worker that placed the order keeps re-sending {@link Place} until
 * it has the outcome, which is what wakes it. Nothing is persisted before the reservation is
 * answered: the order's details come with every {@link Place}, and the inventory remembers its
 * answer for the order. Commit and notification share the {@code CHARGED} state, so notification is
 * at least once.
 */
public final class Order
    extends EventSourcedBehaviorWithEnforcedReplies<Order.Command, Order.Event, Order.State> {

  /** The sharded entity type of orders. */
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "OrdersOrder");

  /** How long an order waits for a peer's answer before sending the step again. */
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);

  /** Delay before a step answered with an error is sent again. */
  static final Duration RETRY_DELAY = Duration.ofMillis(200);

  private static final String STEP_TIMER = "step";

  /** Messages an order understands; the public ones may cross nodes. */
  public sealed interface Command extends TroupeMessage {}

  /**
   * Places the order, or asks again for its outcome; replies with the {@link Outcome} once the saga
   * is over. Repeating it is harmless.
   *
   * @param line what the order buys
   * @param terms the job's terms
   * @param replyTo where the outcome goes
   */
  public record Place(OrderLine line, Terms terms, ActorRef<Outcome> replyTo) implements Command {}

  private record ReserveAnswered(Inventory.Reservation answer) implements Command {}

  private record ChargeAnswered(PaymentGateway.ChargeResult answer) implements Command {}

  private record Settled(StatusReply<Done> reply) implements Command {}

  private enum Notified implements Command {
    INSTANCE
  }

  private record StepDue(long step) implements Command {}

  /** How an order ended. */
  public enum Status {
    /** Stock reserved, payment charged, sale committed, customer notified. */
    COMPLETED,
    /** Not enough stock when the order was placed; nothing else happened. */
    REJECTED_OUT_OF_STOCK,
    /** Payment declined; the reservation was released. */
    COMPENSATED
  }

  /**
   * The answer to {@link Place}: how the order ended.
   *
   * @param order the order's number
   * @param status how it ended
   */
  public record Outcome(int order, Status status) implements TroupeMessage {}

  /** What an order records: one event per step answered. */
  public sealed interface Event extends TroupeMessage {}

  /**
   * The stock was reserved.
   *
   * @param line what the order buys
   * @param terms the job's terms, for the steps after a recovery
   */
  public record StockReserved(OrderLine line, Terms terms) implements Event {}

  /**
   * The stock was not there.
   *
   * @param line what the order wanted
   */
  public record RejectedOutOfStock(OrderLine line) implements Event {}

  /**
   * The payment went through.
   *
   * @param order the order's number
   */
  public record PaymentCharged(int order) implements Event {}

  /**
   * The payment was declined.
   *
   * @param order the order's number
   */
  public record PaymentDeclined(int order) implements Event {}

  /**
   * The sale was committed and the customer notified.
   *
   * @param order the order's number
   */
  public record OrderCompleted(int order) implements Event {}

  /**
   * The reservation was released after the payment was declined.
   *
   * @param order the order's number
   */
  public record OrderCompensated(int order) implements Event {}

  /** Where an order's saga stands. */
  public enum Phase {
    /** Nothing recorded yet. */
    NEW,
    /** Stock reserved; payment next. */
    RESERVED,
    /** Over: out of stock. */
    REJECTED_OUT_OF_STOCK,
    /** Paid; commit and notification next. */
    CHARGED,
    /** Payment declined; release next. */
    PAYMENT_DECLINED,
    /** Over: completed. */
    COMPLETED,
    /** Over: compensated. */
    COMPENSATED
  }

  /**
   * An order's state.
   *
   * @param phase where the saga stands
   * @param line what the order buys; null while {@code NEW}
   * @param terms the job's terms; null while {@code NEW} or after a rejection
   */
  public record State(Phase phase, OrderLine line, Terms terms) {

    /** Returns the outcome if the saga is over, else null. */
    Status outcome() {
      return switch (phase) {
        case COMPLETED -> Status.COMPLETED;
        case REJECTED_OUT_OF_STOCK -> Status.REJECTED_OUT_OF_STOCK;
        case COMPENSATED -> Status.COMPENSATED;
        default -> null;
      };
    }

    State to(Phase next) {
      return new State(next, line, terms);
    }
  }

  /**
   * Registers the order entity with cluster sharding on this node.
   *
   * @param system the node's actor system
   * @param notifier the node's notifier
   */
  public static void init(ActorSystem<?> system, ActorRef<Notifier.Notify> notifier) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    TYPE_KEY,
                    entity -> {
                      String id = entity.getEntityId();
                      String job = id.substring(0, id.lastIndexOf("~o-"));
                      return create(
                          id, OrderPeers.sharded(system, job, notifier), ASK_TIMEOUT, RETRY_DELAY);
                    })
                .withMessageExtractor(new HashCodeMessageExtractor<>(OrdersPipeline.SHARDS)));
  }

  /**
   * Returns the behavior of one order.
   *
   * @param entityId the id, {@code job~o-<n>}
   * @param peers where the steps go
   * @param askTimeout how long to wait for a step's answer
   * @param retryDelay delay before a failed step is sent again
   * @return the behavior
   */
  static Behavior<Command> create(
      String entityId, OrderPeers peers, Duration askTimeout, Duration retryDelay) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new Order(ctx, timers, entityId, peers, askTimeout, retryDelay)));
  }

  /**
   * Returns the entity id of an order.
   *
   * @param job the job's id
   * @param order the order's number
   * @return the entity id
   */
  public static String entityId(String job, int order) {
    return job + "~o-" + order;
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final String job;
  private final OrderPeers peers;
  private final Duration askTimeout;
  private final Duration retryDelay;
  private final ActorRef<Inventory.Reservation> reservations;
  private final ActorRef<PaymentGateway.ChargeResult> charges;
  private final ActorRef<StatusReply<Done>> settlements;
  private final ActorRef<Done> notifications;
  // Transient: who waits for the outcome, what was placed, and where the current step stands.
  private final List<ActorRef<Outcome>> waiters = new ArrayList<>();
  private Place placed;
  private long step;
  private boolean committed;

  @SuppressWarnings("unchecked") // adapter class literal of a generic type
  private Order(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      String entityId,
      OrderPeers peers,
      Duration askTimeout,
      Duration retryDelay) {
    super(
        PersistenceId.of(TYPE_KEY.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.ctx = ctx;
    this.timers = timers;
    this.job = entityId.substring(0, Math.max(0, entityId.lastIndexOf("~o-")));
    this.peers = peers;
    this.askTimeout = askTimeout;
    this.retryDelay = retryDelay;
    this.reservations = ctx.messageAdapter(Inventory.Reservation.class, ReserveAnswered::new);
    this.charges = ctx.messageAdapter(PaymentGateway.ChargeResult.class, ChargeAnswered::new);
    this.settlements =
        ctx.messageAdapter((Class<StatusReply<Done>>) (Class<?>) StatusReply.class, Settled::new);
    this.notifications = ctx.messageAdapter(Done.class, done -> Notified.INSTANCE);
  }

  @Override
  public State emptyState() {
    return new State(Phase.NEW, null, null);
  }

  @Override
  public Recovery recovery() {
    // Orders never snapshot: skip asking the snapshot store on every (first) start.
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              if (state.phase() != Phase.NEW && state.outcome() == null) {
                ctx.getLog().debug("Order [{}] resumes at {}", ctx.getSelf().path().name(), state);
                sendStep(state);
              }
            })
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(StockReserved.class, (s, e) -> new State(Phase.RESERVED, e.line(), e.terms()))
        .onEvent(
            RejectedOutOfStock.class,
            (s, e) -> new State(Phase.REJECTED_OUT_OF_STOCK, e.line(), null))
        .onEvent(PaymentCharged.class, (s, e) -> s.to(Phase.CHARGED))
        .onEvent(PaymentDeclined.class, (s, e) -> s.to(Phase.PAYMENT_DECLINED))
        .onEvent(OrderCompleted.class, (s, e) -> s.to(Phase.COMPLETED))
        .onEvent(OrderCompensated.class, (s, e) -> s.to(Phase.COMPENSATED))
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Place.class, this::onPlace)
        .onCommand(ReserveAnswered.class, this::onReserveAnswered)
        .onCommand(ChargeAnswered.class, this::onChargeAnswered)
        .onCommand(Settled.class, this::onSettled)
        .onCommand(Notified.class, this::onNotified)
        .onCommand(StepDue.class, this::onStepDue)
        .build();
  }

  private ReplyEffect<Event, State> onPlace(State state, Place place) {
    Status outcome = state.outcome();
    if (outcome != null) {
      return Effect().reply(place.replyTo(), new Outcome(place.line().order(), outcome));
    }
    waiters.add(place.replyTo());
    if (placed == null) {
      placed = place;
    }
    if (!timers.isTimerActive(STEP_TIMER)) {
      sendStep(state);
    }
    return Effect().noReply();
  }

  /**
   * Sends the command of the state's next step, and arms the timer that sends it again unless an
   * answer moves the order on first.
   */
  private void sendStep(State state) {
    long id = ++step;
    switch (state.phase()) {
      case NEW -> {
        if (placed == null) {
          return; // recovered with nothing recorded: wait for the next Place
        }
        OrderLine line = placed.line();
        peers
            .inventory(line.sku())
            .tell(
                new Inventory.Reserve(
                    line.order(), line.units(), placed.terms().stock(), reservations));
      }
      case RESERVED -> {
        OrderLine line = state.line();
        Terms terms = state.terms();
        peers
            .gateway(terms.gatewayOf(line.order()))
            .tell(new PaymentGateway.Charge(line.order(), line.amountCents(), terms, charges));
      }
      case CHARGED -> {
        int order = state.line().order();
        if (!committed) {
          peers.inventory(state.line().sku()).tell(new Inventory.Commit(order, settlements));
        } else {
          peers.notifier().tell(new Notifier.Notify(job, order, notifications));
        }
      }
      case PAYMENT_DECLINED ->
          peers
              .inventory(state.line().sku())
              .tell(new Inventory.Release(state.line().order(), settlements));
      default -> {
        timers.cancel(STEP_TIMER);
        return;
      }
    }
    timers.startSingleTimer(STEP_TIMER, new StepDue(id), askTimeout);
  }

  private ReplyEffect<Event, State> onStepDue(State state, StepDue due) {
    if (due.step() == step) {
      ctx.getLog()
          .debug("Order [{}] sends its step again at {}", ctx.getSelf().path().name(), state);
      sendStep(state);
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onReserveAnswered(State state, ReserveAnswered answered) {
    if (state.phase() != Phase.NEW || placed == null) {
      return Effect().noReply();
    }
    timers.cancel(STEP_TIMER);
    if (answered.answer().reserved()) {
      return Effect()
          .persist(new StockReserved(placed.line(), placed.terms()))
          .thenRun(this::sendStep)
          .thenNoReply();
    }
    return Effect()
        .persist(new RejectedOutOfStock(placed.line()))
        .thenRun(this::answerWaiters)
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onChargeAnswered(State state, ChargeAnswered answered) {
    if (state.phase() != Phase.RESERVED) {
      return Effect().noReply();
    }
    timers.cancel(STEP_TIMER);
    int order = state.line().order();
    Event event =
        answered.answer().charged() ? new PaymentCharged(order) : new PaymentDeclined(order);
    return Effect().persist(event).thenRun(this::sendStep).thenNoReply();
  }

  private ReplyEffect<Event, State> onSettled(State state, Settled settled) {
    boolean expected =
        (state.phase() == Phase.CHARGED && !committed) || state.phase() == Phase.PAYMENT_DECLINED;
    if (!expected) {
      return Effect().noReply(); // a late duplicate
    }
    if (settled.reply().isError()) {
      ctx.getLog()
          .warn(
              "Order [{}] at {}: the inventory refused, trying again: {}",
              ctx.getSelf().path().name(),
              state,
              settled.reply().getError().getMessage());
      timers.startSingleTimer(STEP_TIMER, new StepDue(step), retryDelay);
      return Effect().noReply();
    }
    timers.cancel(STEP_TIMER);
    if (state.phase() == Phase.CHARGED) {
      committed = true;
      sendStep(state);
      return Effect().noReply();
    }
    return Effect()
        .persist(new OrderCompensated(state.line().order()))
        .thenRun(this::answerWaiters)
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onNotified(State state, Notified notified) {
    if (state.phase() != Phase.CHARGED || !committed) {
      return Effect().noReply();
    }
    timers.cancel(STEP_TIMER);
    return Effect()
        .persist(new OrderCompleted(state.line().order()))
        .thenRun(this::answerWaiters)
        .thenNoReply();
  }

  private void answerWaiters(State state) {
    Outcome outcome = new Outcome(state.line().order(), state.outcome());
    waiters.forEach(w -> w.tell(outcome));
    waiters.clear();
  }
}
