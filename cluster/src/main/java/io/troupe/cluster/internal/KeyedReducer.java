package io.troupe.cluster.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.troupe.persistence.internal.PersistenceSettings;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.TroupeMessage;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
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
 * Keyed state of a job, spread over the cluster: one sharded, event-sourced entity per (pipeline,
 * job, shard) that merges the contributions sent to it, for example the counts of the words whose
 * hash falls into its shard.
 *
 * <p>Implementation notes: the entity id is {@code pipeline~job~shard} (Pekko reserves {@code |} in
 * persistence ids), so sharding spreads a job's shards over the nodes and moves them when nodes
 * join or leave. Contributions carry a deterministic id (the work item that produced them); one
 * already seen is acknowledged and dropped, which makes a retried or re-delivered item count once.
 * Each accepted contribution is persisted before it is acknowledged, so an item is complete only
 * once its state is durable, and a reducer that moves to another node recovers exactly. The
 * accumulator is merged in place and deep-copied for snapshots and for answers. The merge logic
 * comes from the pipeline ({@link io.troupe.sdk.Pipeline#keyedState()}).
 */
public final class KeyedReducer
    extends EventSourcedBehaviorWithEnforcedReplies<
        KeyedReducer.Command, KeyedReducer.Contributed, KeyedReducer.State> {

  /** The sharded entity type of reducers. */
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "TroupeReducer");

  /** Messages a reducer understands; they may cross nodes. */
  public sealed interface Command extends TroupeMessage {}

  /**
   * Merges a contribution unless its id was seen; replies with an acknowledgement once it is
   * durable.
   *
   * @param id the contribution's deterministic id
   * @param part the contribution
   * @param replyTo where the acknowledgement goes
   */
  public record Add(
      String id,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@type") TroupeMessage part,
      ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /**
   * Asks for the merged state; replies with a copy of it.
   *
   * @param replyTo where the state goes
   */
  public record Get(ActorRef<StatusReply<Merged>> replyTo) implements Command {}

  /**
   * A reducer's merged state.
   *
   * @param contributions how many contributions went into it
   * @param state the merged state
   */
  public record Merged(
      int contributions,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@type") TroupeMessage state)
      implements TroupeMessage {}

  /**
   * The event: a contribution was merged.
   *
   * @param id the contribution's id
   * @param part the contribution
   */
  public record Contributed(
      String id, @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@type") TroupeMessage part)
      implements TroupeMessage {}

  /**
   * A reducer's state as a snapshot stores it.
   *
   * @param seen ids of the merged contributions
   * @param accumulator the merged state
   */
  public record Snapshot(
      List<String> seen,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@type") TroupeMessage accumulator)
      implements TroupeMessage {}

  /** The live state: owned by the entity, merged in place. */
  static final class State {
    final Set<String> seen = new HashSet<>();
    TroupeMessage accumulator;

    State(TroupeMessage zero) {
      this.accumulator = zero;
    }
  }

  /**
   * Registers the reducer entity with cluster sharding on this node.
   *
   * @param system the node's actor system
   * @param pipelines where the merge logic of each pipeline comes from
   */
  public static void init(ActorSystem<?> system, Pipelines pipelines) {
    PersistenceSettings persistence = PersistenceSettings.create(system.settings().config());
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    TYPE_KEY,
                    entity -> new KeyedReducer(entity.getEntityId(), pipelines, persistence))
                // A pipeline's keyed state lives only on nodes that have the pipeline.
                .withMessageExtractor(
                    new io.troupe.cluster.internal.PipelineShards<Command>(
                        JobCoordinator.shardsPerPipeline(system), KeyedReducer::pipelineOf))
                .withAllocationStrategy(
                    new io.troupe.cluster.internal.PipelineAllocationStrategy()));
  }

  /** Returns the pipeline of a reducer's entity id. */
  /**
   * Returns the behavior of one reducer entity, outside sharding: for tests.
   *
   * @param entityId the entity id, {@code pipeline~job~shard}
   * @param pipelines the node's pipelines, the entity's among them
   * @param persistence snapshot settings
   * @return the behavior
   */
  static Behavior<Command> create(
      String entityId, Pipelines pipelines, PersistenceSettings persistence) {
    return new KeyedReducer(entityId, pipelines, persistence);
  }

  static java.util.Optional<String> pipelineOf(String entityId) {
    int sep = entityId.indexOf('~');
    return sep > 0 ? java.util.Optional.of(entityId.substring(0, sep)) : java.util.Optional.empty();
  }

  /**
   * Returns the entity id of one shard of a job's keyed state.
   *
   * @param pipeline the pipeline's name
   * @param job the job's id
   * @param shard the shard, from 0
   * @return the entity id
   */
  public static String entityId(String pipeline, String job, int shard) {
    return pipeline + "~" + job + "~" + shard;
  }

  private final Combiner<TroupeMessage> logic;
  private final PersistenceSettings persistence;
  private final State empty;

  private KeyedReducer(String entityId, Pipelines pipelines, PersistenceSettings persistence) {
    super(
        PersistenceId.of("TroupeReducer", entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    String pipeline = entityId.substring(0, Math.max(0, entityId.indexOf('~')));
    this.logic =
        ParsedPipeline.keyedState(pipelines.get(pipeline))
            .orElseThrow(
                () ->
                    new IllegalArgumentException("pipeline " + pipeline + " keeps no keyed state"));
    this.persistence = persistence;
    this.empty = new State(logic.zero());
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
    return persistence.snapshotEvery() == 0
        ? RetentionCriteria.disabled()
        : RetentionCriteria.snapshotEvery(Math.min(200, persistence.snapshotEvery()), 2);
  }

  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(State state) {
        return new Snapshot(List.copyOf(state.seen), logic.copy(state.accumulator));
      }

      @Override
      public State fromJournal(Object from) {
        Snapshot snapshot = (Snapshot) from;
        State state = new State(snapshot.accumulator());
        state.seen.addAll(snapshot.seen());
        return state;
      }
    };
  }

  @Override
  public EventHandler<State, Contributed> eventHandler() {
    EventHandler<State, Contributed> handler = events();
    return (state, event) -> handler.apply(state == empty ? new State(logic.zero()) : state, event);
  }

  private EventHandler<State, Contributed> events() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent(
            (state, event) -> {
              if (state.seen.add(event.id())) {
                state.accumulator = logic.merge(state.accumulator, event.part());
              }
              return state;
            });
  }

  @Override
  public CommandHandlerWithReply<Command, Contributed, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Add.class, this::onAdd)
        .onCommand(Get.class, this::onGet)
        .build();
  }

  private ReplyEffect<Contributed, State> onAdd(State state, Add add) {
    if (state.seen.contains(add.id())) {
      return Effect().reply(add.replyTo(), StatusReply.ack());
    }
    return Effect()
        .persist(new Contributed(add.id(), add.part()))
        .thenReply(add.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<Contributed, State> onGet(State state, Get get) {
    return Effect()
        .reply(
            get.replyTo(),
            StatusReply.success(new Merged(state.seen.size(), logic.copy(state.accumulator))));
  }
}
