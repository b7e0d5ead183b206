package io.troupe.examples.orders;

import io.troupe.sdk.TroupeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The stock of one SKU in one orders job: a sharded, event-sourced entity that reserves units for
 * orders, and commits (sold) or releases (compensation) each reservation.
 *
 * <p>Implementation notes: the entity id is {@code job~sku-<n>}, so jobs never share stock. The
 * stock is set by the first reservation (the initial stock travels with every {@link Reserve}); an
 * entity nobody reserved from has persisted nothing. A reservation is granted only if the units are
 * available, and persisted before it is answered, so available stock never goes below zero. A
 * refusal is persisted as well, so every command is idempotent by order number and answers the same
 * however often it arrives: a repeated reserve answers the recorded decision (never units released
 * in the meantime, which the order, having taken the first answer, would never settle), a repeated
 * commit or release is acknowledged without a second event. That is what lets an order re-send its
 * step after any crash or timeout. Commit of a released reservation (or the reverse) is refused as
 * a bug. The events also keep the lowest available stock ever reached, which the job's invariants
 * check; it is recomputed on every recovery, so it describes the journal, not this incarnation's
 * memory.
 */
public final class Inventory
    extends EventSourcedBehaviorWithEnforcedReplies<
        Inventory.Command, Inventory.Event, Inventory.State> {

  /** The sharded entity type of inventories. */
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "OrdersInventory");

  /** Messages an inventory understands; they may cross nodes. */
  public sealed interface Command extends TroupeMessage {}

  /**
   * Reserves units for an order if they are available; replies with a {@link Reservation}, the same
   * one however often it is sent.
   *
   * @param order the order's number
   * @param units units to reserve
   * @param initialStock the SKU's stock before the job's first order
   * @param replyTo where the answer goes
   */
  public record Reserve(int order, int units, int initialStock, ActorRef<Reservation> replyTo)
      implements Command {}

  /**
   * Turns an order's reservation into a sale; replies with an acknowledgement.
   *
   * @param order the order's number
   * @param replyTo where the acknowledgement (or the error for an order holding nothing) goes
   */
  public record Commit(int order, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * Gives an order's reserved units back; replies with an acknowledgement.
   *
   * @param order the order's number
   * @param replyTo where the acknowledgement (or the error for an order holding nothing) goes
   */
  public record Release(int order, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * Asks for everything the job's invariants need; replies with an {@link Audit}.
   *
   * @param initialStock the stock to report if nothing was ever reserved
   * @param replyTo where the audit goes
   */
  public record GetAudit(int initialStock, ActorRef<Audit> replyTo) implements Command {}

  /**
   * The answer to a {@link Reserve}.
   *
   * @param order the order's number
   * @param reserved true if the units are reserved, false if they were not available when the order
   *     first asked
   */
  public record Reservation(int order, boolean reserved) implements TroupeMessage {}

  /**
   * An inventory's state as its journal says.
   *
   * @param sku the SKU's number
   * @param initial the stock before the first order
   * @param available units neither reserved nor sold
   * @param minAvailable the lowest value {@code available} ever had
   * @param committed orders whose units were sold, ascending
   * @param released orders whose reservation was given back, ascending
   * @param outstanding orders whose units are still only reserved, ascending
   */
  public record Audit(
      int sku,
      long initial,
      long available,
      long minAvailable,
      List<Integer> committed,
      List<Integer> released,
      List<Integer> outstanding)
      implements TroupeMessage {}

  /** What an inventory records. */
  public sealed interface Event extends TroupeMessage {}

  /**
   * The SKU was stocked (with the job's first reservation).
   *
   * @param units the initial stock
   */
  public record Stocked(int units) implements Event {}

  /**
   * Units were reserved for an order.
   *
   * @param order the order's number
   * @param units how many
   */
  public record Reserved(int order, int units) implements Event {}

  /**
   * An order asked for more units than were available; it will never get any.
   *
   * @param order the order's number
   */
  public record Refused(int order) implements Event {}

  /**
   * An order's reserved units were sold.
   *
   * @param order the order's number
   */
  public record Committed(int order) implements Event {}

  /**
   * An order's reserved units were given back.
   *
   * @param order the order's number
   */
  public record Released(int order) implements Event {}

  /** Where an order's units stand. */
  public enum Hold {
    /** Reserved, not yet sold or given back. */
    RESERVED,
    /** Sold. */
    COMMITTED,
    /** Given back. */
    RELEASED,
    /** Never reserved: out of stock when asked. */
    REFUSED
  }

  /**
   * An order's units as a snapshot stores them.
   *
   * @param order the order's number
   * @param units how many
   * @param hold where they stand
   */
  public record Held(int order, int units, Hold hold) implements TroupeMessage {}

  /**
   * An inventory's state as a snapshot stores it.
   *
   * @param stocked whether the stock was set
   * @param initial the initial stock
   * @param available units available
   * @param minAvailable the lowest available ever
   * @param holds every order's units
   */
  public record Snapshot(
      boolean stocked, long initial, long available, long minAvailable, List<Held> holds)
      implements TroupeMessage {}

  /** The live state: owned by the entity, updated in place by its events. */
  static final class State {
    boolean stocked;
    long initial;
    long available;
    long minAvailable;
    final Map<Integer, Held> holds = new HashMap<>();
  }

  /**
   * Registers the inventory entity with cluster sharding on this node.
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
   * Returns the behavior of one inventory.
   *
   * @param entityId the id, {@code job~sku-<n>}
   * @param snapshotEvery events between snapshots; 0 for none
   * @return the behavior
   */
  static Behavior<Command> create(String entityId, int snapshotEvery) {
    return new Inventory(entityId, snapshotEvery);
  }

  /**
   * Returns the entity id of a SKU's inventory in a job.
   *
   * @param job the job's id
   * @param sku the SKU's number
   * @return the entity id
   */
  public static String entityId(String job, int sku) {
    return job + "~sku-" + sku;
  }

  private final int sku;
  private final int snapshotEvery;
  private final State empty;

  private Inventory(String entityId, int snapshotEvery) {
    super(
        PersistenceId.of(TYPE_KEY.name(), entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.sku = Integer.parseInt(entityId.substring(entityId.lastIndexOf("~sku-") + 5));
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
            state.stocked,
            state.initial,
            state.available,
            state.minAvailable,
            List.copyOf(state.holds.values()));
      }

      @Override
      public State fromJournal(Object from) {
        Snapshot snapshot = (Snapshot) from;
        State state = new State();
        state.stocked = snapshot.stocked();
        state.initial = snapshot.initial();
        state.available = snapshot.available();
        state.minAvailable = snapshot.minAvailable();
        snapshot.holds().forEach(h -> state.holds.put(h.order(), h));
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
            Stocked.class,
            (state, e) -> {
              state.stocked = true;
              state.initial = e.units();
              state.available = e.units();
              state.minAvailable = e.units();
              return state;
            })
        .onEvent(
            Reserved.class,
            (state, e) -> {
              state.available -= e.units();
              state.minAvailable = Math.min(state.minAvailable, state.available);
              state.holds.put(e.order(), new Held(e.order(), e.units(), Hold.RESERVED));
              return state;
            })
        .onEvent(
            Refused.class,
            (state, e) -> {
              state.holds.put(e.order(), new Held(e.order(), 0, Hold.REFUSED));
              return state;
            })
        .onEvent(
            Committed.class,
            (state, e) -> {
              Held held = state.holds.get(e.order());
              state.holds.put(e.order(), new Held(e.order(), held.units(), Hold.COMMITTED));
              return state;
            })
        .onEvent(
            Released.class,
            (state, e) -> {
              Held held = state.holds.get(e.order());
              state.available += held.units();
              state.holds.put(e.order(), new Held(e.order(), held.units(), Hold.RELEASED));
              return state;
            })
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Reserve.class, this::onReserve)
        .onCommand(Commit.class, this::onCommit)
        .onCommand(Release.class, this::onRelease)
        .onCommand(GetAudit.class, this::onGetAudit)
        .build();
  }

  private ReplyEffect<Event, State> onReserve(State state, Reserve reserve) {
    int order = reserve.order();
    Held held = state.holds.get(order);
    if (held != null) {
      return Effect().reply(reserve.replyTo(), new Reservation(order, held.hold() != Hold.REFUSED));
    }
    long available = state.stocked ? state.available : reserve.initialStock();
    boolean granted = reserve.units() <= available;
    // A refusal is recorded too: an order asking again (its first answer was lost) must get the
    // same answer, not units released in the meantime that it would never commit or release.
    Event event = granted ? new Reserved(order, reserve.units()) : new Refused(order);
    List<Event> events =
        state.stocked ? List.of(event) : List.of(new Stocked(reserve.initialStock()), event);
    return Effect()
        .persist(events)
        .thenReply(reserve.replyTo(), s -> new Reservation(order, granted));
  }

  private ReplyEffect<Event, State> onCommit(State state, Commit commit) {
    return settle(state, commit.order(), Hold.COMMITTED, commit.replyTo());
  }

  private ReplyEffect<Event, State> onRelease(State state, Release release) {
    return settle(state, release.order(), Hold.RELEASED, release.replyTo());
  }

  /** Commits or releases a reservation once; repeating the same settlement is acknowledged. */
  private ReplyEffect<Event, State> settle(
      State state, int order, Hold to, ActorRef<StatusReply<Done>> replyTo) {
    Held held = state.holds.get(order);
    if (held == null
        || held.hold() == Hold.REFUSED
        || (held.hold() != Hold.RESERVED && held.hold() != to)) {
      return Effect()
          .reply(
              replyTo,
              StatusReply.error(
                  "order "
                      + order
                      + (held == null ? " holds nothing" : " is already " + held.hold())
                      + " at sku-"
                      + sku
                      + ", cannot be "
                      + to));
    }
    if (held.hold() == to) {
      return Effect().reply(replyTo, StatusReply.ack());
    }
    Event event = to == Hold.COMMITTED ? new Committed(order) : new Released(order);
    return Effect().persist(event).thenReply(replyTo, s -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onGetAudit(State state, GetAudit get) {
    return Effect().reply(get.replyTo(), audit(state, get.initialStock()));
  }

  private Audit audit(State state, int initialStock) {
    List<Integer> committed = new ArrayList<>();
    List<Integer> released = new ArrayList<>();
    List<Integer> outstanding = new ArrayList<>();
    for (Held h : state.holds.values()) {
      switch (h.hold()) {
        case COMMITTED -> committed.add(h.order());
        case RELEASED -> released.add(h.order());
        case RESERVED -> outstanding.add(h.order());
        case REFUSED -> {}
      }
    }
    committed.sort(null);
    released.sort(null);
    outstanding.sort(null);
    return state.stocked
        ? new Audit(
            sku,
            state.initial,
            state.available,
            state.minAvailable,
            committed,
            released,
            outstanding)
        : new Audit(
            sku, initialStock, initialStock, initialStock, committed, released, outstanding);
  }
}
