package io.troupe.actors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/**
 * The actor that runs one {@link StagePipeline}: it spawns the sink, the stages and the source as
 * its children, answers {@link StagePipeline.GetStats}, and stops when the pipeline is done.
 *
 * <p>Implementation notes: the children are spawned from the sink backwards, each told its
 * downstream, and all are watched. The source and every stage send their final {@link StageStats}
 * here just before they stop; a child's messages to this actor arrive before its {@code
 * Terminated}, so once every child has terminated, every final count that was sent is here. Without
 * a {@code replyTo} (the plain {@link StagePipeline.Builder#to(Behavior)}), the actor stops with
 * its sink, as it always did. With one, it keeps the sink's result and answers once every child has
 * terminated: with the result, or with an error if the sink stopped without one. A child that fails
 * stops the whole pipeline (and answers with an error).
 *
 * @param <R> the sink's result type
 */
final class PipelineActor<R> extends AbstractBehavior<StagePipeline.Command> {

  private final List<ActorRef<Flow.Signal>> participants = new ArrayList<>();
  private final List<String> order = new ArrayList<>();
  private final Map<String, StageStats> finals = new HashMap<>();
  private final Set<ActorRef<?>> alive = new HashSet<>();
  private final ActorRef<Flow.Signal> sink;
  private final ActorRef<StatusReply<StagePipeline.Result<R>>> replyTo;
  private R sinkResult;
  private boolean sinkFinished;

  /**
   * Spawns the pipeline's participants.
   *
   * @param ctx this actor's context
   * @param source creates the source, given its downstream and where to send its final counters
   * @param specs the stages, in pipeline order
   * @param sinkFactory creates the sink, given where to send its result
   * @param quarantine receives quarantined elements of every stage, or {@code null}
   * @param replyTo receives the result, or {@code null} to stop with the sink without answering
   */
  @SuppressWarnings("unchecked") // each stage's worker matches its neighbours by construction
  PipelineActor(
      ActorContext<StagePipeline.Command> ctx,
      StagePipeline.SourceFactory source,
      List<StagePipeline.StageSpec> specs,
      Function<ActorRef<R>, Behavior<Flow.Signal>> sinkFactory,
      ActorRef<Quarantined<?>> quarantine,
      ActorRef<StatusReply<StagePipeline.Result<R>>> replyTo) {
    super(ctx);
    this.replyTo = replyTo;
    TroupeSettings defaults = TroupeSettings.create(ctx.getSystem());
    // Pekko hands a message to the most recently registered adapter whose class matches it, so
    // the catch-all for the sink's result comes first and the final counters, of a type no sink
    // can produce, after it.
    ActorRef<Object> results = ctx.messageAdapter(Object.class, StagePipeline.SinkFinished::new);
    ActorRef<Stage.Finished> finished =
        ctx.messageAdapter(Stage.Finished.class, f -> new StagePipeline.StageFinished(f.stats()));
    ActorRef<Quarantined<Object>> quarantined = quarantine == null ? null : quarantine.narrow();
    Behavior<Flow.Signal> sinkBehavior =
        Objects.requireNonNull(
            sinkFactory.apply(results.narrow()), "the sink factory returned null");
    this.sink = ctx.spawn(sinkBehavior, "sink");
    watch(sink);
    ActorRef<Flow.Signal> next = sink;
    for (int i = specs.size() - 1; i >= 0; i--) {
      StagePipeline.StageSpec spec = specs.get(i);
      PoolSettings settings =
          spec.settings() != null ? spec.settings() : PoolSettings.create(defaults, spec.workers());
      ActorRef<Flow.Signal> stage =
          ctx.spawn(
              Stage.create(
                  spec.name(),
                  settings,
                  (Behavior<Work<Object, Object>>) spec.worker(),
                  next.<Flow.Downstream<Object>>narrow(),
                  quarantined,
                  finished),
              "stage-" + spec.name());
      watch(stage);
      participants.add(0, stage);
      order.add(0, spec.name());
      next = stage;
    }
    ActorRef<Flow.Signal> sourceRef =
        ctx.spawn(source.create(next.<Flow.Downstream<Object>>narrow(), finished), "source");
    watch(sourceRef);
    participants.add(0, sourceRef);
    order.add(0, "source");
  }

  private void watch(ActorRef<Flow.Signal> child) {
    getContext().watch(child);
    alive.add(child);
  }

  @Override
  public Receive<StagePipeline.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StagePipeline.GetStats.class, this::onGetStats)
        .onMessage(StagePipeline.SinkFinished.class, this::onSinkFinished)
        .onMessage(StagePipeline.StageFinished.class, this::onStageFinished)
        .onSignal(ChildFailed.class, this::onChildFailed)
        .onSignal(Terminated.class, this::onTerminated)
        .build();
  }

  private Behavior<StagePipeline.Command> onGetStats(StagePipeline.GetStats get) {
    getContext().spawnAnonymous(StatsAggregator.create(participants, get.replyTo()));
    return this;
  }

  @SuppressWarnings("unchecked") // the sink was given an adapter typed for R
  private Behavior<StagePipeline.Command> onSinkFinished(StagePipeline.SinkFinished finished) {
    sinkResult = (R) finished.result();
    sinkFinished = true;
    return this;
  }

  private Behavior<StagePipeline.Command> onStageFinished(StagePipeline.StageFinished finished) {
    finals.put(finished.stats().name(), finished.stats());
    return this;
  }

  private Behavior<StagePipeline.Command> onChildFailed(ChildFailed failed) {
    String name = failed.getRef().path().name();
    getContext()
        .getLog()
        .error("Pipeline participant [{}] failed; stopping the pipeline", name, failed.getCause());
    if (replyTo != null) {
      replyTo.tell(
          StatusReply.error(
              new IllegalStateException(
                  "pipeline participant [" + name + "] failed: " + failed.getCause(),
                  failed.getCause())));
    }
    return Behaviors.stopped();
  }

  private Behavior<StagePipeline.Command> onTerminated(Terminated terminated) {
    alive.remove(terminated.getRef());
    if (replyTo == null) {
      return terminated.getRef().equals(sink) ? Behaviors.stopped() : this;
    }
    if (!alive.isEmpty()) {
      return this;
    }
    if (sinkFinished) {
      List<StageStats> stages = new ArrayList<>();
      for (String name : order) {
        StageStats stats = finals.get(name);
        if (stats != null) {
          stages.add(stats);
        }
      }
      replyTo.tell(StatusReply.success(new StagePipeline.Result<>(sinkResult, stages)));
    } else {
      replyTo.tell(
          StatusReply.error(new IllegalStateException("the sink stopped without a result")));
    }
    return Behaviors.stopped();
  }

  /** Asks each participant for its stats and answers with those that replied within a second. */
  private static final class StatsAggregator {
    private StatsAggregator() {}

    static Behavior<StageStats> create(
        List<ActorRef<Flow.Signal>> participants, ActorRef<List<StageStats>> replyTo) {
      return Behaviors.setup(
          ctx -> {
            for (ActorRef<Flow.Signal> p : participants) {
              p.tell(new Stage.GetStats(ctx.getSelf()));
            }
            ctx.setReceiveTimeout(Duration.ofSeconds(1), new StageStats("", 0, 0, 0, 0, 0, 0, 0));
            List<StageStats> collected = new ArrayList<>();
            return Behaviors.receive(StageStats.class)
                .onMessage(
                    StageStats.class,
                    stats -> {
                      if (!stats.name().isEmpty()) {
                        collected.add(stats);
                      }
                      if (stats.name().isEmpty() || collected.size() == participants.size()) {
                        collected.sort(
                            (a, b) ->
                                Integer.compare(order(a, participants), order(b, participants)));
                        replyTo.tell(List.copyOf(collected));
                        return Behaviors.stopped();
                      }
                      return Behaviors.same();
                    })
                .build();
          });
    }

    private static int order(StageStats stats, List<ActorRef<Flow.Signal>> participants) {
      for (int i = 0; i < participants.size(); i++) {
        String actor = participants.get(i).path().name();
        if (actor.equals(stats.name()) || actor.equals("stage-" + stats.name())) {
          return i;
        }
      }
      return participants.size();
    }
  }
}
