package io.troupe.actors;

import io.troupe.actors.internal.WorkerGroup;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/**
 * A pool of N identical workers with work pulling, bounded queues and per-worker supervision.
 *
 * <p>Each {@link Submit}ted item goes to the least loaded worker that has room, and a worker holds
 * at most {@link PoolSettings#maxInFlightPerWorker()} items, so a slow worker ends up with fewer
 * items than a fast one (dynamic load balancing) and no worker's mailbox grows without bound. Items
 * no worker has room for wait in the pool's queue, up to {@link PoolSettings#maxQueued()}; beyond
 * that a submission is answered with a {@link PoolFullException} at once.
 *
 * <p>An exception thrown by a worker fails only the item it was handling: the item is retried on
 * any worker, up to {@link PoolSettings#maxAttempts()} attempts, then the submitter gets a {@link
 * QuarantinedException} and the optional quarantine listener a {@link Quarantined} record; the
 * worker is restarted at once with fresh state. Only a worker that throws on several items in a row
 * is restarted with backoff ({@link Workers#supervised}). The pool carries on either way.
 *
 * <pre>{@code
 * ActorRef<WorkerPool.Command<String, Integer>> pool =
 *     ctx.spawn(WorkerPool.create(4, Workers.fromFunction(String::length)), "lengths");
 * pool.tell(new WorkerPool.Submit<>("troupe", replyTo)); // replyTo gets StatusReply.success(6)
 * }</pre>
 *
 * @param <I> the item type
 * @param <R> the result type
 */
public final class WorkerPool<I, R> extends AbstractBehavior<WorkerPool.Command<I, R>> {

  /**
   * Messages the pool understands.
   *
   * @param <I> the item type
   * @param <R> the result type
   */
  public sealed interface Command<I, R> {}

  /**
   * Processes one item; replies with the result, a {@link PoolFullException} or a {@link
   * QuarantinedException}.
   *
   * @param item the item
   * @param replyTo where the answer goes
   * @param <I> the item type
   * @param <R> the result type
   */
  public record Submit<I, R>(I item, ActorRef<StatusReply<R>> replyTo) implements Command<I, R> {}

  /**
   * Asks for the pool's counters; replies with {@link Stats}.
   *
   * @param replyTo where the answer goes
   * @param <I> the item type
   * @param <R> the result type
   */
  public record GetStats<I, R>(ActorRef<Stats> replyTo) implements Command<I, R> {}

  /**
   * The pool's counters at one moment.
   *
   * @param workers live workers
   * @param queued items waiting for a worker
   * @param inFlight items held by workers
   * @param completed items answered with a result
   * @param retried failed attempts that were retried
   * @param quarantined items given up on
   * @param rejected submissions refused because the queue was full
   */
  public record Stats(
      int workers,
      int queued,
      int inFlight,
      long completed,
      long retried,
      long quarantined,
      long rejected) {}

  private record WorkerAnswered<I, R>(Work.Outcome<R> outcome) implements Command<I, R> {}

  private record WorkerStopped<I, R>(ActorRef<Work<I, R>> worker) implements Command<I, R> {}

  /**
   * Creates a pool with Troupe's default settings.
   *
   * @param workers number of workers; at least 1
   * @param worker the behavior each worker runs
   * @param <I> the item type
   * @param <R> the result type
   * @return the pool's behavior
   */
  public static <I, R> Behavior<Command<I, R>> create(int workers, Behavior<Work<I, R>> worker) {
    return Behaviors.setup(
        ctx -> new WorkerPool<>(ctx, PoolSettings.create(ctx.getSystem(), workers), worker, null));
  }

  /**
   * Creates a pool.
   *
   * @param settings size, credit, queue bound, attempts and backoff
   * @param worker the behavior each worker runs
   * @param quarantine receives a record per quarantined item, or {@code null} for none
   * @param <I> the item type
   * @param <R> the result type
   * @return the pool's behavior
   */
  public static <I, R> Behavior<Command<I, R>> create(
      PoolSettings settings, Behavior<Work<I, R>> worker, ActorRef<Quarantined<I>> quarantine) {
    Objects.requireNonNull(settings, "settings");
    return Behaviors.setup(ctx -> new WorkerPool<>(ctx, settings, worker, quarantine));
  }

  private final PoolSettings settings;
  private final WorkerGroup<Command<I, R>, Submit<I, R>, I, R> group;
  private long rejected;

  @SuppressWarnings("unchecked") // adapter class literal of a generic type
  private WorkerPool(
      ActorContext<Command<I, R>> ctx,
      PoolSettings settings,
      Behavior<Work<I, R>> worker,
      ActorRef<Quarantined<I>> quarantine) {
    super(ctx);
    this.settings = settings;
    ActorRef<Work.Outcome<R>> answers =
        ctx.messageAdapter(
            (Class<Work.Outcome<R>>) (Class<?>) Work.Outcome.class, WorkerAnswered::new);
    this.group =
        new WorkerGroup<>(
            ctx,
            ctx.getSelf().path().name(),
            worker,
            settings,
            Submit::item,
            answers,
            WorkerStopped::new,
            new WorkerGroup.Listener<>() {
              @Override
              public void completed(Submit<I, R> task, R result, WorkerGroup.Timing timing) {
                task.replyTo().tell(StatusReply.success(result));
              }

              @Override
              public void quarantined(Submit<I, R> task, Quarantined<I> record) {
                task.replyTo().tell(StatusReply.error(new QuarantinedException(record)));
                if (quarantine != null) {
                  quarantine.tell(record);
                }
              }
            },
            DispatcherSelector.defaultDispatcher(),
            true);
  }

  @Override
  @SuppressWarnings("unchecked") // onMessage class literals of generic records
  public Receive<Command<I, R>> createReceive() {
    return newReceiveBuilder()
        .onMessage((Class<Submit<I, R>>) (Class<?>) Submit.class, this::onSubmit)
        .onMessage((Class<WorkerAnswered<I, R>>) (Class<?>) WorkerAnswered.class, this::onAnswer)
        .onMessage((Class<WorkerStopped<I, R>>) (Class<?>) WorkerStopped.class, this::onStopped)
        .onMessage((Class<GetStats<I, R>>) (Class<?>) GetStats.class, this::onGetStats)
        .build();
  }

  private Behavior<Command<I, R>> onSubmit(Submit<I, R> submit) {
    if (group.queued() >= settings.maxQueued() && !group.hasFreeSlot()) {
      rejected++;
      submit.replyTo().tell(StatusReply.error(new PoolFullException(settings.maxQueued())));
    } else {
      group.submit(submit);
    }
    return this;
  }

  private Behavior<Command<I, R>> onAnswer(WorkerAnswered<I, R> answered) {
    group.onOutcome(answered.outcome());
    return this;
  }

  private Behavior<Command<I, R>> onStopped(WorkerStopped<I, R> stopped) {
    group.onWorkerStopped(stopped.worker());
    return this;
  }

  private Behavior<Command<I, R>> onGetStats(GetStats<I, R> get) {
    get.replyTo()
        .tell(
            new Stats(
                group.workers(),
                group.queued(),
                group.inFlight(),
                group.completed(),
                group.retried(),
                group.quarantined(),
                rejected));
    return this;
  }
}
