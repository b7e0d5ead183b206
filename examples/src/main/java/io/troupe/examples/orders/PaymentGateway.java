package io.troupe.examples.orders;

import io.troupe.sdk.TroupeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A simulated payment gateway of one orders job: a sharded, event-sourced entity that charges
 * orders after a configurable latency and declines a deterministic share of them.
 *
 * <p>Implementation notes: a job's charges are spread over a few gateways (entity id {@code
 * job~p-<n>}, order {@code o} goes to gateway {@code o mod gateways}), so the audit at the end
 * reads a handful of entities, not one per order, while charges still proceed on several nodes at
 * once. The latency is a scheduled message to self, never a blocked thread, so one gateway has any
 * number of charges waiting at once. When it elapses the decision (a function of the job's seed and
 * the order) is persisted and then answered; a charge for an order already decided answers the
 * recorded decision without a new event, which makes charging idempotent by order even when the
 * same order's charges overlap or arrive again after a crash. A charge whose latency had not
 * elapsed when the node died is simply lost and re-sent by its order. Every {@link Charged} event
 * counts: the audit reports how many charge events each order has in the journal, so a double
 * charge would be seen, not hidden by a set.
 */
public final class PaymentGateway
    extends EventSourcedBehaviorWithEnforcedReplies<
        PaymentGateway.Command, PaymentGateway.Event, PaymentGateway.State> {

  /** The sharded entity type of payment gateways. */
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "OrdersPayment");

  /** Messages a gateway understands; the public ones may cross nodes. */
  public sealed interface Command extends TroupeMessage {}

  /**
   * Charges an order unless its payment was already decided; replies with a {@link ChargeResult}
   * after the job's payment latency.
   *
   * @param order the order's number
   * @param amountCents what to charge
   * @param terms the job's terms (latency, failure rate, seed)
   * @param replyTo where the answer goes
   */
  public record Charge(int order, long amountCents, Terms terms, ActorRef<ChargeResult> replyTo)
      implements Command {}

  /**
   * Asks for the recorded charges; replies with an {@link Audit}.
   *
   * @param replyTo where the audit goes
   */
  public record GetAudit(ActorRef<Audit> replyTo) implements Command {}

  /** A charge's latency has elapsed: decide it now. */
  private record Settle(Charge charge) implements Command {}

  /**
   * The answer to a {@link Charge}.
   *
   * @param order the order's number
   * @param charged true if the order was (or already had been) charged, false if declined
   */
  public record ChargeResult(int order, boolean charged) implements TroupeMessage {}

  /**
   * A gateway's journal, summed up.
   *
   * @param gateway the gateway's number
   * @param charges per order, how many {@link Charged} events the journal holds
   * @param declined orders whose payment was declined, ascending
   * @param chargedCents the sum of all charges
   */
  public record Audit(
      int gateway, Map<Integer, Integer> charges, List<Integer> declined, long chargedCents)
      implements TroupeMessage {}

  /** What a gateway records. */
  public sealed interface Event extends TroupeMessage {}

  /**
   * An order was charged.
   *
   * @param order the order's number
   * @param amountCents how much
   */
  public record Charged(int order, long amountCents) implements Event {}

  /**
   * An order's payment was declined.
   *
   * @param order the order's number
   */
  public record Declined(int order) implements Event {}

  /**
   * A gateway's state as a snapshot stores it.
   *
   * @param charges charge events per order
   * @param declined declined orders
   * @param chargedCents the sum of all charges
   */
  public record Snapshot(Map<Integer, Integer> charges, List<Integer> declined, long chargedCents)
      implements TroupeMessage {}

  /** The live state: owned by the entity, updated in place by its events. */
  static final class State {
    final Map<Integer, Integer> charges = new HashMap<>();
    final Set<Integer> declined = new HashSet<>();
    long chargedCents;
  }

  /**
   * Registers the gateway entity with cluster sharding on this node.
   *
   * @param system the node's actor system
   */
  public static void init(ActorSystem<?> system) {
    // The ledger's interval: a snapshot holds every order the entity has seen, so snapshotting
    // more often would cost more than the replay it saves.
    int snapshotEvery =
        system.settings().config().getInt("troupe.persistence.ledger.snapshot-every");
    ClusterSharding.get(system)
        .init(
            Entity.of(TYPE_KEY, entity -> create(entity.getEntityId(), snapshotEvery))
                .withMessageExtractor(new HashCodeMessageExtractor<>(OrdersPipeline.SHARDS)));
  }

  /**
   * Returns the behavior of one gateway.
   *
   * @param entityId the id, {@code job~p-<n>}
   * @param snapshotEvery events between snapshots; 0 for none
   * @return the behavior
   */
  static Behavior<Command> create(String entityId, int snapshotEvery) {
    return Behaviors.setup(ctx -> new PaymentGateway(ctx, entityId, snapshotEvery));
  }

  /**
   * Returns the entity id of one of a job's gateways.
   *
   * @param job the job's id
   * @param gateway the gateway's number
   * @return the entity id
   */
  public static String entityId(String job, int gateway) {
    return job + "~p-" + gateway;
  }

  private final ActorContext<Command> ctx;
  private final int gateway;
  private final int snapshotEvery;
  private final State empty;

  private PaymentGateway(ActorContext<Command> ctx, String entityId, int snapshotEvery) {
    super(
        PersistenceId.of(TYPE_KEY.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.ctx = ctx;
    this.gateway = Integer.parseInt(entityId.substring(entityId.lastIndexOf("~p-") + 3));
    this.snapshotEvery = snapshotEvery;
    this.empty = new State();
  }

  /**
   * Returns the state of an entity that has recorded nothing. Pekko keeps this one object for the
   * life of the actor and recovers onto it again after a journal failure restarts the entity, so it
   * must never change: the event handler applies the first event to a fresh state instead.
   */
  @Override
  public State emptyState() {
    return empty;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return snapshotEvery == 0
        ? RetentionCriteria.disabled()
        : RetentionCriteria.snapshotEvery(snapshotEvery, 2);
  }

  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(State state) {
        return new Snapshot(
            new TreeMap<>(state.charges), sorted(state.declined), state.chargedCents);
      }

      @Override
      public State fromJournal(Object from) {
        Snapshot snapshot = (Snapshot) from;
        State state = new State();
        state.charges.putAll(snapshot.charges());
        state.declined.addAll(snapshot.declined());
        state.chargedCents = snapshot.chargedCents();
        return state;
      }
    };
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    EventHandler<State, Event> handler = events();
    return (state, event) -> handler.apply(state == empty ? new State() : state, event);
  }

  private EventHandler<State, Event> events() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            Charged.class,
            (state, e) -> {
              // Counted, not set: the audit must see a second charge if one were ever recorded.
              state.charges.merge(e.order(), 1, Integer::sum);
              state.chargedCents += e.amountCents();
              return state;
            })
        .onEvent(
            Declined.class,
            (state, e) -> {
              state.declined.add(e.order());
              return state;
            })
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Charge.class, this::onCharge)
        .onCommand(Settle.class, this::onSettle)
        .onCommand(GetAudit.class, this::onGetAudit)
        .build();
  }

  private ReplyEffect<Event, State> onCharge(State state, Charge charge) {
    int latency = charge.terms().paymentLatencyMs();
    if (decided(state, charge.order()) || latency == 0) {
      return onSettle(state, new Settle(charge));
    }
    ctx.scheduleOnce(Duration.ofMillis(latency), ctx.getSelf(), new Settle(charge));
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onSettle(State state, Settle settle) {
    Charge charge = settle.charge();
    int order = charge.order();
    if (state.charges.containsKey(order)) {
      return Effect().reply(charge.replyTo(), new ChargeResult(order, true));
    }
    if (state.declined.contains(order)) {
      return Effect().reply(charge.replyTo(), new ChargeResult(order, false));
    }
    Terms terms = charge.terms();
    if (Catalog.declined(terms.seed(), order, terms.paymentFailureRate())) {
      return Effect()
          .persist(new Declined(order))
          .thenReply(charge.replyTo(), s -> new ChargeResult(order, false));
    }
    ctx.getLog()
        .debug(
            "Charging order [{}] {} cents at gateway [{}]", order, charge.amountCents(), gateway);
    return Effect()
        .persist(new Charged(order, charge.amountCents()))
        .thenReply(charge.replyTo(), s -> new ChargeResult(order, true));
  }

  private static boolean decided(State state, int order) {
    return state.charges.containsKey(order) || state.declined.contains(order);
  }

  private ReplyEffect<Event, State> onGetAudit(State state, GetAudit get) {
    return Effect()
        .reply(
            get.replyTo(),
            new Audit(
                gateway, new TreeMap<>(state.charges), sorted(state.declined), state.chargedCents));
  }

  private static List<Integer> sorted(Set<Integer> orders) {
    List<Integer> list = new ArrayList<>(orders);
    list.sort(null);
    return list;
  }
}
