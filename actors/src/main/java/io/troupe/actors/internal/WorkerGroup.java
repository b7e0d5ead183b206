package io.troupe.actors.internal;

import io.troupe.actors.PoolSettings;
import io.troupe.actors.Quarantined;
import io.troupe.actors.Work;
import io.troupe.actors.Workers;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The workers of one pool and the bookkeeping around them: spawning, credit-based hand-out,
 * retries, quarantine and replacement of dead workers (internal API).
 *
 * <p>Implementation notes: owned by one actor (the pool or stage, message type {@code M}) and used
 * only from its message handlers. Workers are children of the owner, supervised with {@link
 * Workers#supervised}, so an exception fails the item (a {@link Work.Failed} comes back) and
 * restarts the worker with its mailbox intact: at once, unless it failed on several items in a row
 * (then with backoff, see {@link FailureReporter}). A worker that stops for good (restart limit
 * reached) is noticed through {@code watchWith}; the items it held go back to the front of the
 * queue with their attempt numbers unchanged and a replacement is spawned, so the pool keeps its
 * size. Answers are matched by hand-out id, so a duplicate or late answer is ignored. A failed item
 * is retried at the front of the queue until {@code maxAttempts}, then handed to the listener as
 * quarantined.
 *
 * @param <M> the owner's message type
 * @param <T> the owner's task type (the item plus whatever the owner needs to answer it)
 * @param <I> the item type the workers see
 * @param <R> the result type
 */
public final class WorkerGroup<M, T, I, R> {

  /**
   * What the owner does with finished tasks.
   *
   * @param <T> the task type
   * @param <I> the item type
   * @param <R> the result type
   */
  public interface Listener<T, I, R> {
    /** Called once per task when a worker answers it with a result. */
    void completed(T task, R result, Timing timing);

    /** Called once per task when its last attempt failed. */
    void quarantined(T task, Quarantined<I> record);
  }

  /**
   * How long a completed task took.
   *
   * @param latencyNanos from hand-out to answer
   * @param serviceNanos from the moment the worker could start on it (hand-out, or its previous
   *     answer if it was busy) to the answer: the task's own processing time for a worker that
   *     handles one task at a time
   * @param queuedAhead tasks the worker held when this one was handed out
   */
  public record Timing(long latencyNanos, long serviceNanos, int queuedAhead) {}

  private final java.util.Map<ActorRef<Work<I, R>>, Long> lastAnswer = new java.util.HashMap<>();
  private final java.util.Map<ActorRef<Work<I, R>>, WorkerAnswers<R>> sinks =
      new java.util.HashMap<>();
  private final WorkerAnswers.Settings answerSettings;
  private final ActorContext<M> ctx;
  private final String name;
  private final Behavior<Work<I, R>> worker;
  private final PoolSettings settings;
  private final Function<T, I> itemOf;
  private final ActorRef<Work.Outcome<R>> replyTo;
  private final Function<ActorRef<Work<I, R>>, M> onStopped;
  private final Listener<T, I, R> listener;
  private final DispatcherSelector dispatcher;
  private final boolean logFailures;
  private final ToIntFunction<T> attemptOf;
  private final WorkDispatch<ActorRef<Work<I, R>>, T> dispatch;
  private int spawned;
  private long completed;
  private long retried;
  private long quarantined;

  /**
   * Creates the group and spawns its workers.
   *
   * @param ctx the owner's context
   * @param name the pool's name, for log lines
   * @param worker the user's worker behavior
   * @param settings pool size, credit, attempts, backoff
   * @param itemOf extracts the item from a task
   * @param replyTo the owner's adapter for worker answers
   * @param onStopped the owner's message for a worker that stopped
   * @param listener what to do with finished tasks
   * @param dispatcher where the workers run
   * @param logFailures whether this group logs retries and quarantines itself; off when the owner
   *     only forwards failures to someone who decides (and logs) what happens to the item
   */
  public WorkerGroup(
      ActorContext<M> ctx,
      String name,
      Behavior<Work<I, R>> worker,
      PoolSettings settings,
      Function<T, I> itemOf,
      ActorRef<Work.Outcome<R>> replyTo,
      Function<ActorRef<Work<I, R>>, M> onStopped,
      Listener<T, I, R> listener,
      DispatcherSelector dispatcher,
      boolean logFailures) {
    this(
        ctx,
        name,
        worker,
        settings,
        itemOf,
        replyTo,
        onStopped,
        listener,
        dispatcher,
        logFailures,
        task -> 1);
  }

  /**
   * Creates the group and spawns its workers, for an owner that counts attempts itself.
   *
   * @param ctx the owner's context
   * @param name the pool's name, for log lines
   * @param worker the user's worker behavior
   * @param settings pool size, credit, attempts, backoff
   * @param itemOf extracts the item from a task
   * @param replyTo the owner's adapter for worker answers
   * @param onStopped the owner's message for a worker that stopped
   * @param listener what to do with finished tasks
   * @param dispatcher where the workers run
   * @param logFailures whether this group logs retries and quarantines itself
   * @param attemptOf the task's attempt as the owner counts them (a job coordinator that retries
   *     items itself, handing each attempt to the group as a new task); {@link Work#attempt()} is
   *     this plus the group's own retries. Workers are restarted at once when an item on a later
   *     attempt fails (see {@link FailureReporter}), so this matters for backoff.
   */
  public WorkerGroup(
      ActorContext<M> ctx,
      String name,
      Behavior<Work<I, R>> worker,
      PoolSettings settings,
      Function<T, I> itemOf,
      ActorRef<Work.Outcome<R>> replyTo,
      Function<ActorRef<Work<I, R>>, M> onStopped,
      Listener<T, I, R> listener,
      DispatcherSelector dispatcher,
      boolean logFailures,
      ToIntFunction<T> attemptOf) {
    this.ctx = ctx;
    this.attemptOf = attemptOf;
    this.dispatcher = dispatcher;
    this.logFailures = logFailures;
    this.name = name;
    this.worker = worker;
    this.settings = settings;
    this.itemOf = itemOf;
    this.replyTo = replyTo;
    this.onStopped = onStopped;
    this.listener = listener;
    this.dispatch = new WorkDispatch<>(settings.maxInFlightPerWorker());
    this.answerSettings = WorkerAnswers.Settings.from(ctx.getSystem().settings().config());
    for (int i = 0; i < settings.workers(); i++) {
      spawnWorker();
    }
  }

  private void spawnWorker() {
    ActorRef<Work<I, R>> ref =
        ctx.spawn(
            Workers.supervised(worker, settings.backoff()), "worker-" + (++spawned), dispatcher);
    ctx.watchWith(ref, onStopped.apply(ref));
    sinks.put(
        ref,
        new WorkerAnswers<>(
            replyTo, ctx.getSystem().scheduler(), ctx.getExecutionContext(), answerSettings));
    dispatch.addWorker(ref);
  }

  /** Queues a task and hands out what the workers have room for. */
  public void submit(T task) {
    dispatch.enqueue(task);
    handOut();
  }

  /**
   * Handles a worker's answer, or the answers it sent together, then hands out what the workers
   * have room for.
   */
  public void onOutcome(Work.Outcome<R> outcome) {
    if (outcome instanceof Work.Answers<R> answers) {
      List<Work.Outcome<R>> outcomes = answers.outcomes();
      for (int i = 0; i < outcomes.size(); i++) {
        handle(outcomes.get(i), answers.answeredNanos()[i]);
      }
    } else {
      handle(outcome, System.nanoTime());
    }
    handOut();
  }

  private void handle(Work.Outcome<R> outcome, long answeredNanos) {
    WorkDispatch.Assignment<ActorRef<Work<I, R>>, T> done = dispatch.finish(outcome.id());
    if (done == null) {
      ctx.getLog().debug("Ignoring answer for hand-out [{}]: not in flight", outcome.id());
    } else if (outcome instanceof Work.Completed<R> c) {
      completed++;
      // Answers sent together are stamped when given; never before the hand-out they answer.
      long now = Math.max(answeredNanos, done.handedOutNanos());
      Long previous = lastAnswer.put(done.worker(), now);
      long start =
          previous == null ? done.handedOutNanos() : Math.max(done.handedOutNanos(), previous);
      listener.completed(
          done.task(),
          c.result(),
          new Timing(now - done.handedOutNanos(), now - start, done.queuedAhead()));
    } else if (outcome instanceof Work.Failed<R> f) {
      lastAnswer.put(done.worker(), Math.max(answeredNanos, done.handedOutNanos()));
      onFailure(done, f.error());
    }
  }

  private void onFailure(WorkDispatch.Assignment<ActorRef<Work<I, R>>, T> done, Throwable error) {
    I item = itemOf.apply(done.task());
    if (done.attempt() < settings.maxAttempts()) {
      retried++;
      if (logFailures) {
        ctx.getLog()
            .warn(
                "Item [{}] failed on attempt {} of {} in [{}], retrying: {}",
                item,
                done.attempt(),
                settings.maxAttempts(),
                name,
                error.toString());
      }
      dispatch.retry(done.task(), done.attempt() + 1);
    } else {
      quarantined++;
      if (logFailures) {
        ctx.getLog()
            .error(
                "Item [{}] quarantined after {} attempts in [{}]: {}",
                item,
                done.attempt(),
                name,
                error.toString());
      }
      listener.quarantined(done.task(), Quarantined.of(item, error, done.attempt()));
    }
  }

  /** Replaces a worker that stopped for good and re-queues the items it held. */
  public void onWorkerStopped(ActorRef<Work<I, R>> ref) {
    WorkerAnswers<R> sink = sinks.remove(ref);
    Work.Answers<R> held = sink == null ? null : sink.drain();
    if (held != null) {
      // Answers it gave before it stopped count; only what it never answered goes back.
      List<Work.Outcome<R>> outcomes = held.outcomes();
      for (int i = 0; i < outcomes.size(); i++) {
        handle(outcomes.get(i), held.answeredNanos()[i]);
      }
    }
    int requeued = dispatch.removeWorker(ref);
    lastAnswer.remove(ref);
    ctx.getLog()
        .warn(
            "Worker [{}] stopped (restart limit reached); re-queued {} item(s) and started a"
                + " replacement",
            ref.path().name(),
            requeued);
    spawnWorker();
    handOut();
  }

  private void handOut() {
    for (WorkDispatch.Assignment<ActorRef<Work<I, R>>, T> a = dispatch.next();
        a != null;
        a = dispatch.next()) {
      int attempt = attemptOf.applyAsInt(a.task()) + a.attempt() - 1;
      WorkerAnswers<R> sink = sinks.get(a.worker());
      sink.handedOut();
      a.worker().tell(new Work<>(a.id(), itemOf.apply(a.task()), attempt, replyTo, sink));
    }
  }

  /**
   * Gives up on tasks a worker has been under way with for longer than a limit; see {@link
   * WorkDispatch#giveUpOverdue}. The tasks queued behind them go to the other workers now; the
   * overdue ones stay with their workers, whose answers, if they ever come, reach the listener as
   * usual: the owner decides what an overdue task means and ignores what it no longer wants.
   *
   * @param limitNanos how long a task may be under way
   * @return the overdue tasks, each returned once
   */
  public java.util.List<T> giveUpOverdue(long limitNanos) {
    java.util.List<T> overdue = new java.util.ArrayList<>();
    for (WorkDispatch.Assignment<ActorRef<Work<I, R>>, T> a : dispatch.giveUpOverdue(limitNanos)) {
      overdue.add(a.task());
    }
    if (!overdue.isEmpty()) {
      handOut();
    }
    return overdue;
  }

  /**
   * Changes how many tasks each worker may hold at once, and hands out what that makes room for.
   *
   * @param credit at least 1
   */
  public void setCreditPerWorker(int credit) {
    if (credit != dispatch.creditPerWorker()) {
      dispatch.setCreditPerWorker(credit);
      handOut();
    }
  }

  /**
   * Takes the tasks no worker has been given yet out of the group (its owner is going away and
   * gives them back); the tasks workers hold stay and are answered as usual.
   *
   * @return the tasks, in queue order
   */
  public java.util.List<T> takeQueued() {
    return dispatch.takeQueued();
  }

  /** Returns the number of tasks waiting for a worker. */
  public int queued() {
    return dispatch.queued();
  }

  /** Returns the number of tasks held by workers. */
  public int inFlight() {
    return dispatch.inFlight();
  }

  /** Returns true when some worker could take a task now. */
  public boolean hasFreeSlot() {
    return dispatch.hasFreeSlot();
  }

  /** Returns true when no task is queued or in flight. */
  public boolean isIdle() {
    return dispatch.isIdle();
  }

  /** Returns the number of workers. */
  public int workers() {
    return dispatch.workers();
  }

  /** Returns the time workers have held at least one task, summed over workers. */
  public long busyNanos() {
    return dispatch.busyNanos();
  }

  /** Returns the number of tasks answered with a result. */
  public long completed() {
    return completed;
  }

  /** Returns the number of failed attempts that were retried. */
  public long retried() {
    return retried;
  }

  /** Returns the number of tasks quarantined. */
  public long quarantined() {
    return quarantined;
  }
}
