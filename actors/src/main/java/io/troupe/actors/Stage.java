package io.troupe.actors;

import io.troupe.actors.internal.WorkerGroup;
import java.util.ArrayDeque;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One stage of a {@link StagePipeline}: a pool of workers between an upstream producer and a
 * downstream consumer, speaking the {@link Flow} protocol on both sides.
 *
 * <p>Implementation notes: a stage holds at most {@link PoolSettings#bufferSize()} elements,
 * counting those waiting for a worker, being processed and waiting for downstream demand; and it
 * never has more outstanding demand upstream than the room left. So {@code held + requested <=
 * bufferSize} at all times, which bounds its mailbox: when downstream is slow the output waits
 * here, room runs out, this stage stops requesting and its producer stops producing. Requests are
 * batched (a new one goes out once a quarter of the buffer is free) to keep signalling cheap.
 * Elements may leave in a different order than they came, since workers finish at different times.
 * A failing element is retried and finally quarantined (dropped from the stream and reported); the
 * stream goes on. The stage completes downstream, and stops, once upstream has completed and it
 * holds nothing.
 *
 * @param <I> the input element type
 * @param <O> the output element type
 */
public final class Stage<I, O> extends AbstractBehavior<Flow.Signal> {

  /**
   * Asks for the stage's counters; replies with {@link StageStats}.
   *
   * @param replyTo where the answer goes
   */
  public record GetStats(ActorRef<StageStats> replyTo) implements Flow.Signal {}

  /**
   * A stage's or source's counters as it completes, sent to its pipeline just before it stops.
   *
   * @param stats the final counters
   */
  record Finished(StageStats stats) {}

  private record WorkerAnswered<O>(Work.Outcome<O> outcome) implements Flow.Signal {}

  private record WorkerStopped<I, O>(ActorRef<Work<I, O>> worker) implements Flow.Signal {}

  /**
   * Creates a stage.
   *
   * @param name the stage's name, for logs and stats
   * @param settings workers, buffer size, credit, attempts and backoff
   * @param worker the behavior each worker runs
   * @param downstream the consumer of this stage's output
   * @param quarantine receives a record per quarantined element, or {@code null} for none
   * @param <I> the input element type
   * @param <O> the output element type
   * @return the stage's behavior
   */
  public static <I, O> Behavior<Flow.Signal> create(
      String name,
      PoolSettings settings,
      Behavior<Work<I, O>> worker,
      ActorRef<Flow.Downstream<O>> downstream,
      ActorRef<Quarantined<I>> quarantine) {
    return create(name, settings, worker, downstream, quarantine, null);
  }

  /** Like the public factory, and sends the final counters to {@code finished}, if not null. */
  static <I, O> Behavior<Flow.Signal> create(
      String name,
      PoolSettings settings,
      Behavior<Work<I, O>> worker,
      ActorRef<Flow.Downstream<O>> downstream,
      ActorRef<Quarantined<I>> quarantine,
      ActorRef<Finished> finished) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(downstream, "downstream");
    return Behaviors.setup(
        ctx -> new Stage<>(ctx, name, settings, worker, downstream, quarantine, finished));
  }

  private final String name;
  private final int bufferSize;
  private final ActorRef<Flow.Downstream<O>> downstream;
  private final ActorRef<Finished> finished;
  private final WorkerGroup<Flow.Signal, I, I, O> group;
  private final ArrayDeque<O> output = new ArrayDeque<>();
  private ActorRef<Flow.Upstream> upstream;
  private long requested;
  private long demand;
  private boolean upstreamDone;
  private long received;
  private long emitted;
  private int maxHeld;

  @SuppressWarnings("unchecked") // adapter class literal of a generic type
  private Stage(
      ActorContext<Flow.Signal> ctx,
      String name,
      PoolSettings settings,
      Behavior<Work<I, O>> worker,
      ActorRef<Flow.Downstream<O>> downstream,
      ActorRef<Quarantined<I>> quarantine,
      ActorRef<Finished> finished) {
    super(ctx);
    this.name = name;
    this.finished = finished;
    this.bufferSize = settings.bufferSize();
    this.downstream = downstream;
    ActorRef<Work.Outcome<O>> answers =
        ctx.messageAdapter(
            (Class<Work.Outcome<O>>) (Class<?>) Work.Outcome.class, WorkerAnswered::new);
    this.group =
        new WorkerGroup<>(
            ctx,
            name,
            worker,
            settings,
            item -> item,
            answers,
            WorkerStopped::new,
            new WorkerGroup.Listener<>() {
              @Override
              public void completed(I element, O result, WorkerGroup.Timing timing) {
                output.addLast(result);
              }

              @Override
              public void quarantined(I element, Quarantined<I> record) {
                if (quarantine != null) {
                  quarantine.tell(record);
                }
              }
            },
            DispatcherSelector.defaultDispatcher(),
            true);
    downstream.tell(new Flow.OnSubscribe<>(ctx.getSelf().narrow()));
  }

  @Override
  public Receive<Flow.Signal> createReceive() {
    return newReceiveBuilder()
        .onMessage(Flow.OnSubscribe.class, this::onSubscribe)
        .onMessage(Flow.OnNext.class, this::onNext)
        .onMessage(Flow.OnComplete.class, c -> onUpstreamComplete())
        .onMessage(Flow.Request.class, this::onRequest)
        .onMessageEquals(Flow.Cancel.INSTANCE, this::onCancel)
        .onMessage(WorkerAnswered.class, this::onAnswer)
        .onMessage(WorkerStopped.class, this::onWorkerStopped)
        .onMessage(GetStats.class, this::onGetStats)
        .build();
  }

  private Behavior<Flow.Signal> onSubscribe(Flow.OnSubscribe<?> subscribe) {
    upstream = subscribe.producer();
    requestMore();
    return this;
  }

  @SuppressWarnings("unchecked") // the pipeline builder types producer and stage alike
  private Behavior<Flow.Signal> onNext(Flow.OnNext<?> next) {
    received++;
    requested = Math.max(0, requested - 1);
    group.submit((I) next.element());
    maxHeld = Math.max(maxHeld, held());
    return this;
  }

  private Behavior<Flow.Signal> onUpstreamComplete() {
    upstreamDone = true;
    return finishIfDone();
  }

  private Behavior<Flow.Signal> onRequest(Flow.Request request) {
    demand += request.n();
    emit();
    requestMore();
    return finishIfDone();
  }

  private Behavior<Flow.Signal> onCancel() {
    if (upstream != null) {
      upstream.tell(Flow.Cancel.INSTANCE);
    }
    return Behaviors.stopped();
  }

  @SuppressWarnings("unchecked") // our own adapter wraps only outcomes of type O
  private Behavior<Flow.Signal> onAnswer(WorkerAnswered<?> answered) {
    group.onOutcome((Work.Outcome<O>) answered.outcome());
    emit();
    requestMore();
    return finishIfDone();
  }

  @SuppressWarnings("unchecked") // our own workers only
  private Behavior<Flow.Signal> onWorkerStopped(WorkerStopped<?, ?> stopped) {
    group.onWorkerStopped((ActorRef<Work<I, O>>) (ActorRef<?>) stopped.worker());
    return this;
  }

  private Behavior<Flow.Signal> onGetStats(GetStats get) {
    get.replyTo().tell(stats());
    return this;
  }

  private StageStats stats() {
    return new StageStats(
        name,
        received,
        emitted,
        group.retried(),
        group.quarantined(),
        held(),
        maxHeld,
        group.busyNanos());
  }

  private int held() {
    return group.queued() + group.inFlight() + output.size();
  }

  private void emit() {
    while (demand > 0 && !output.isEmpty()) {
      downstream.tell(new Flow.OnNext<>(output.pollFirst()));
      demand--;
      emitted++;
    }
  }

  private void requestMore() {
    if (upstream == null || upstreamDone) {
      return;
    }
    long room = bufferSize - held() - requested;
    if (room >= Math.max(1, bufferSize / 4)) {
      requested += room;
      upstream.tell(new Flow.Request(room));
    }
  }

  private Behavior<Flow.Signal> finishIfDone() {
    if (upstreamDone && held() == 0) {
      getContext().getLog().debug("Stage [{}] completed after {} element(s)", name, received);
      if (finished != null) {
        // Before OnComplete, so the pipeline has it by the time the sink has finished.
        finished.tell(new Finished(stats()));
      }
      downstream.tell(new Flow.OnComplete<>());
      return Behaviors.stopped();
    }
    return this;
  }
}
