package io.troupe.actors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A local pipeline of stages, each a pool of worker actors, connected with demand-based
 * backpressure ({@link Flow}).
 *
 * <pre>{@code
 * Behavior<StagePipeline.Command> pipeline =
 *     StagePipeline.from(List.of("a b", "c"))
 *         .via("split", 2, Workers.fromFunction((String line) -> line.split(" ").length))
 *         .via("double", 4, Workers.fromFunction((Integer n) -> 2 * n))
 *         .to(Sinks.collect(replyTo));
 * ctx.spawn(pipeline, "words");
 * }</pre>
 *
 * <p>Every stage holds at most its buffer size of elements, so a slow stage holds back the stages
 * before it and finally the source: memory stays bounded whatever the speed difference. Elements
 * may be reordered by parallel workers. The pipeline actor stops when the sink has finished; if a
 * source, stage or sink fails, it logs the failure and stops everything.
 */
public final class StagePipeline {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private StagePipeline() {}

  /** Messages a running pipeline understands. */
  public sealed interface Command {}

  /**
   * Asks for the counters of the source and every running stage, in pipeline order; stages that
   * have already completed are left out.
   *
   * @param replyTo where the list goes
   */
  public record GetStats(ActorRef<List<StageStats>> replyTo) implements Command {}

  /**
   * Starts a pipeline at a source that emits the given elements.
   *
   * @param elements the elements, iterated lazily against demand
   * @param <T> the element type
   * @return a builder
   */
  public static <T> Builder<T> from(Iterable<? extends T> elements) {
    Objects.requireNonNull(elements, "elements");
    return fromIterator(elements::iterator);
  }

  /**
   * Starts a pipeline at a source that emits the elements of an iterator created at start.
   *
   * @param elements creates the iterator, once, on the source's thread
   * @param <T> the element type
   * @return a builder
   */
  public static <T> Builder<T> fromIterator(Supplier<? extends Iterator<? extends T>> elements) {
    Objects.requireNonNull(elements, "elements");
    List<StageSpec> stages = new ArrayList<>();
    return new Builder<>(downstream -> Sources.<T>fromIterator(elements, downstream), stages);
  }

  private record StageSpec(String name, int workers, PoolSettings settings, Behavior<?> worker) {}

  /**
   * Adds stages to a pipeline under construction.
   *
   * @param <T> the type of the elements the pipeline emits so far
   */
  public static final class Builder<T> {
    private final Function<ActorRef<Flow.Downstream<T>>, Behavior<Flow.Signal>> source;
    private final List<StageSpec> stages;

    private Builder(
        Function<ActorRef<Flow.Downstream<T>>, Behavior<Flow.Signal>> source,
        List<StageSpec> stages) {
      this.source = source;
      this.stages = stages;
    }

    /**
     * Adds a stage of {@code workers} workers with Troupe's default pool settings.
     *
     * @param name the stage's name: 1-64 letters, digits, '-' or '_'
     * @param workers number of workers; at least 1
     * @param worker the behavior each worker runs
     * @param <O> the stage's output type
     * @return a builder for the extended pipeline
     * @throws IllegalArgumentException if the name is invalid or already used
     */
    public <O> Builder<O> via(String name, int workers, Behavior<Work<T, O>> worker) {
      Backoff.requireArgument(workers >= 1, "workers must be >= 1, was %s", workers);
      return add(new StageSpec(name, workers, null, worker));
    }

    /**
     * Adds a stage with explicit pool settings.
     *
     * @param name the stage's name: 1-64 letters, digits, '-' or '_'
     * @param settings workers, buffer size, credit, attempts and backoff
     * @param worker the behavior each worker runs
     * @param <O> the stage's output type
     * @return a builder for the extended pipeline
     * @throws IllegalArgumentException if the name is invalid or already used
     */
    public <O> Builder<O> via(String name, PoolSettings settings, Behavior<Work<T, O>> worker) {
      Objects.requireNonNull(settings, "settings");
      return add(new StageSpec(name, settings.workers(), settings, worker));
    }

    private <O> Builder<O> add(StageSpec spec) {
      Objects.requireNonNull(spec.worker(), "worker");
      Backoff.requireArgument(
          spec.name() != null && NAME.matcher(spec.name()).matches(),
          "stage name must be 1-64 letters, digits, '-' or '_', was [%s]",
          spec.name());
      Backoff.requireArgument(
          !"source".equals(spec.name())
              && stages.stream().noneMatch(s -> s.name().equals(spec.name())),
          "stage name [%s] is already used",
          spec.name());
      List<StageSpec> extended = new ArrayList<>(stages);
      extended.add(spec);
      @SuppressWarnings("unchecked") // stage outputs are typed by the via() chain
      Function<ActorRef<Flow.Downstream<O>>, Behavior<Flow.Signal>> sameSource =
          (Function<ActorRef<Flow.Downstream<O>>, Behavior<Flow.Signal>>) (Function<?, ?>) source;
      return new Builder<>(sameSource, extended);
    }

    /**
     * Ends the pipeline at a sink and returns the behavior that runs it.
     *
     * @param sink a consumer of the last stage's output, e.g. from {@link Sinks}
     * @return the pipeline's behavior; spawn it to start the flow
     */
    public Behavior<Command> to(Behavior<Flow.Signal> sink) {
      Objects.requireNonNull(sink, "sink");
      List<StageSpec> specs = List.copyOf(stages);
      return Behaviors.setup(ctx -> start(ctx, specs, sink));
    }

    @SuppressWarnings("unchecked") // each stage's worker matches its neighbours by construction
    private Behavior<Command> start(
        ActorContext<Command> ctx, List<StageSpec> specs, Behavior<Flow.Signal> sink) {
      TroupeSettings defaults = TroupeSettings.create(ctx.getSystem());
      ActorRef<Flow.Signal> sinkRef = ctx.spawn(sink, "sink");
      ctx.watch(sinkRef);
      ActorRef<Flow.Signal> next = sinkRef;
      List<ActorRef<Flow.Signal>> running = new ArrayList<>();
      for (int i = specs.size() - 1; i >= 0; i--) {
        StageSpec spec = specs.get(i);
        PoolSettings settings =
            spec.settings() != null
                ? spec.settings()
                : PoolSettings.create(defaults, spec.workers());
        ActorRef<Flow.Signal> stage =
            ctx.spawn(
                Stage.create(
                    spec.name(),
                    settings,
                    (Behavior<Work<Object, Object>>) spec.worker(),
                    next.<Flow.Downstream<Object>>narrow(),
                    null),
                "stage-" + spec.name());
        ctx.watch(stage);
        running.add(0, stage);
        next = stage;
      }
      ActorRef<Flow.Signal> sourceRef =
          ctx.spawn(source.apply(next.<Flow.Downstream<T>>narrow()), "source");
      ctx.watch(sourceRef);
      running.add(0, sourceRef);
      return running(ctx, running, sinkRef);
    }
  }

  private static Behavior<Command> running(
      ActorContext<Command> ctx,
      List<ActorRef<Flow.Signal>> participants,
      ActorRef<Flow.Signal> sink) {
    return Behaviors.receive(Command.class)
        .onMessage(
            GetStats.class,
            get -> {
              ctx.spawnAnonymous(StatsAggregator.create(participants, get.replyTo()));
              return Behaviors.same();
            })
        .onSignal(
            ChildFailed.class,
            failed -> {
              ctx.getLog()
                  .error(
                      "Pipeline participant [{}] failed; stopping the pipeline",
                      failed.getRef().path().name(),
                      failed.getCause());
              return Behaviors.stopped();
            })
        .onSignal(
            Terminated.class,
            terminated -> terminated.getRef().equals(sink) ? Behaviors.stopped() : Behaviors.same())
        .build();
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
