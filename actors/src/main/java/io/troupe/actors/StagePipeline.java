package io.troupe.actors;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

/**
 * A local pipeline of stages, each a pool of worker actors, connected with demand-based
 * backpressure ({@link Flow}).
 *
 * <pre>{@code
 * StagePipeline.Result<List<Integer>> done =
 *     StagePipeline.from(List.of("a b", "c"))
 *         .via("split", 2, Workers.fromFunction((String line) -> line.split(" ").length))
 *         .via("double", 4, Workers.fromFunction((Integer n) -> 2 * n))
 *         .onQuarantine(badElements)
 *         .<List<Integer>>run(system, Sinks::collect)
 *         .toCompletableFuture()
 *         .get();
 * done.sinkResult(); // [4, 2] or [2, 4]
 * done.stages();     // source, split, double: each stage's final counters
 * }</pre>
 *
 * <p>Every stage holds at most its buffer size of elements, so a slow stage holds back the stages
 * before it and finally the source: memory stays bounded whatever the speed difference. Elements
 * may be reordered by parallel workers. An element whose worker throws is retried and finally
 * quarantined: dropped from the stream and handed to the {@link Builder#onQuarantine} listener; the
 * stream goes on. {@link Builder#run} starts the pipeline from outside any actor; {@link
 * Builder#to} returns its behavior, to spawn where you like. The pipeline actor stops when the sink
 * has finished; if a source, stage or sink fails, it logs the failure and stops everything.
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
   * What a finished pipeline answers: the sink's result and the final counters of its source and
   * stages.
   *
   * @param sinkResult what the sink produced
   * @param stages the counters of the source and of each stage when it completed, in pipeline
   *     order; {@link StageStats#held()} is 0 in each
   * @param <R> the sink's result type
   */
  public record Result<R>(R sinkResult, List<StageStats> stages) {

    /** Copies the list. */
    public Result {
      stages = List.copyOf(stages);
    }
  }

  /** The sink's result, through the pipeline's adapter. */
  record SinkFinished(Object result) implements Command {}

  /** A source's or stage's counters as it completed. */
  record StageFinished(StageStats stats) implements Command {}

  /** Creates a pipeline's source; elements are typed by the builder, so here they are Objects. */
  @FunctionalInterface
  interface SourceFactory {
    Behavior<Flow.Signal> create(
        ActorRef<Flow.Downstream<Object>> downstream, ActorRef<Stage.Finished> finished);
  }

  /** One stage as the builder collected it; {@code settings} is null for the defaults. */
  record StageSpec(String name, int workers, PoolSettings settings, Behavior<?> worker) {}

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
    SourceFactory source =
        (downstream, finished) -> Sources.fromIterator(elements, downstream, finished);
    return new Builder<>(source, List.of(), null);
  }

  /**
   * Adds stages to a pipeline under construction. A builder is immutable: each method returns a new
   * one.
   *
   * @param <T> the type of the elements the pipeline emits so far
   */
  public static final class Builder<T> {
    private final SourceFactory source;
    private final List<StageSpec> stages;
    private final ActorRef<Quarantined<?>> quarantine;

    private Builder(
        SourceFactory source, List<StageSpec> stages, ActorRef<Quarantined<?>> quarantine) {
      this.source = source;
      this.stages = stages;
      this.quarantine = quarantine;
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

    /**
     * Sends a record of every element a stage gives up on to {@code listener}: the element (the
     * stage's input), the last exception and the number of attempts.
     *
     * <p>One listener serves the whole pipeline, stages added before and after this call alike: it
     * is where a pipeline's bad input is collected, like a dead-letter queue, and its records add
     * up to the {@link StageStats#quarantined()} counts, which tell the stages apart. (A listener
     * per stage would be typed by the stage's input, but would scatter the bad input over as many
     * actors.) Without a listener quarantined elements are only logged and counted.
     *
     * @param listener receives one record per quarantined element
     * @return a builder for the same pipeline with the listener
     */
    public Builder<T> onQuarantine(ActorRef<Quarantined<?>> listener) {
      Objects.requireNonNull(listener, "listener");
      return new Builder<>(source, stages, listener);
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
      return new Builder<>(source, List.copyOf(extended), quarantine);
    }

    /**
     * Ends the pipeline at a sink and returns the behavior that runs it.
     *
     * @param sink a consumer of the last stage's output, e.g. from {@link Sinks}
     * @return the pipeline's behavior; spawn it to start the flow
     */
    public Behavior<Command> to(Behavior<Flow.Signal> sink) {
      Objects.requireNonNull(sink, "sink");
      return Behaviors.setup(
          ctx -> new PipelineActor<Object>(ctx, source, stages, ignored -> sink, quarantine, null));
    }

    /**
     * Ends the pipeline at a sink and returns the behavior that runs it and answers with a {@link
     * Result} once every stage and the sink have finished.
     *
     * @param sink creates the sink, given where it must send its result, e.g. {@code
     *     Sinks::collect}
     * @param replyTo receives the result, or an error naming the participant that failed
     * @param <R> the sink's result type
     * @return the pipeline's behavior; spawn it to start the flow
     */
    public <R> Behavior<Command> to(
        Function<ActorRef<R>, Behavior<Flow.Signal>> sink,
        ActorRef<StatusReply<Result<R>>> replyTo) {
      Objects.requireNonNull(sink, "sink");
      Objects.requireNonNull(replyTo, "replyTo");
      return Behaviors.setup(
          ctx -> new PipelineActor<>(ctx, source, stages, sink, quarantine, replyTo));
    }

    /**
     * Runs the pipeline on {@code system}, as one of its system actors, and completes with the
     * sink's result and the stages' final counters.
     *
     * @param system where the pipeline runs
     * @param sink creates the sink, given where it must send its result, e.g. {@code
     *     Sinks::collect}
     * @param <R> the sink's result type
     * @return completes once every stage and the sink have finished; completes exceptionally if a
     *     source, stage or sink fails, or if the system stops first
     */
    public <R> CompletionStage<Result<R>> run(
        ActorSystem<?> system, Function<ActorRef<R>, Behavior<Flow.Signal>> sink) {
      Objects.requireNonNull(system, "system");
      Objects.requireNonNull(sink, "sink");
      CompletableFuture<Result<R>> done = new CompletableFuture<>();
      @SuppressWarnings("unchecked") // class literal of a generic type
      Class<StatusReply<Result<R>>> replies =
          (Class<StatusReply<Result<R>>>) (Class<?>) StatusReply.class;
      Behavior<StatusReply<Result<R>>> runner =
          Behaviors.setup(
              ctx -> {
                ActorRef<Command> pipeline = ctx.spawn(to(sink, ctx.getSelf()), "pipeline");
                ctx.watch(pipeline);
                return Behaviors.receive(replies)
                    .onMessage(
                        replies,
                        reply -> {
                          if (reply.isSuccess()) {
                            done.complete(reply.getValue());
                          } else {
                            done.completeExceptionally(reply.getError());
                          }
                          return Behaviors.stopped();
                        })
                    .onSignal(
                        Terminated.class,
                        t -> {
                          // The pipeline answers before it stops, so this means it crashed.
                          done.completeExceptionally(
                              new IllegalStateException("the pipeline stopped without a result"));
                          return Behaviors.stopped();
                        })
                    .onSignal(
                        PostStop.class,
                        stop -> {
                          // A no-op once the future is complete.
                          done.completeExceptionally(
                              new IllegalStateException(
                                  "the actor system stopped before the pipeline finished"));
                          return Behaviors.same();
                        })
                    .build();
              });
      system.systemActorOf(runner, "stage-pipeline-" + UUID.randomUUID(), Props.empty());
      return done;
    }
  }
}
