package io.troupe.actors.internal;

import io.troupe.actors.Backoff;
import io.troupe.actors.Work;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.DeadLetterSuppression;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The runtime boundary of a pooled worker (internal API): turns an exception thrown while the
 * worker handles a {@link Work} into a {@link Work.Failed} answer for that item, and decides how
 * the worker restarts.
 *
 * <p>An item's failure costs the item, not the worker's time: for the first {@link
 * Backoff#immediateRestarts()} failures in a row the worker is restarted at once, with fresh state
 * and its mailbox intact. Only a worker that keeps failing message after message (a broken
 * resource, not a bad item) is restarted with {@link Backoff}'s growing delay; and once it has gone
 * over {@link Backoff#maxRestarts()} such restarts it stops, so its owner can replace it. A message
 * handled without an exception resets both counts. A failure of an item on a retry ({@link
 * Work#attempt()} above 1) does not add to the count: that item has failed before.
 *
 * <p>Implementation notes: one instance per worker actor, created outside the restart boundary (see
 * {@link #supervise}), so its counts survive the restarts it causes; only the actor's own thread
 * touches it. Restarts are Pekko's plain {@code restart()} strategy, triggered by the private
 * {@link RestartWorker} exception; the delay is kept here rather than left to Pekko's backoff
 * strategy, whose restart count only resets after a quiet period ({@code (min + max) / 2} in Pekko
 * 1.7) and never on a success. During a delay the failed incarnation stays in place but gets
 * nothing: every message is held here, in arrival order. When the delay is over ({@link Resume},
 * scheduled to self), the held messages are sent to self again and the worker is restarted, so its
 * setup runs only after the delay, as with Pekko's backoff; messages that arrived in the meantime
 * may thus be handled before the held ones. A setup that throws is always restarted with backoff:
 * it has no item to blame, and Pekko does not restart an actor at once whose start failed. An
 * {@link Error} is reported for the item and rethrown untouched: the worker stops.
 */
public final class FailureReporter extends BehaviorInterceptor<Object, Object> {

  /** Thrown to make the supervisor restart the worker now; never leaves the worker. */
  private static final class RestartWorker extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RestartWorker(Throwable cause) {
      super("restarting the worker", cause, false, false);
    }
  }

  /** The end of a backoff delay, sent by the reporter to its own actor. */
  private record Resume(FailureReporter owner) implements DeadLetterSuppression {}

  private final Backoff backoff;
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private int failuresInRow;
  private int backoffRestarts;
  private boolean waiting;
  private Throwable lastFailure;

  private FailureReporter(Backoff backoff) {
    super(Object.class);
    this.backoff = backoff;
  }

  /**
   * Wraps a worker with its reporter and the supervisor that restarts it.
   *
   * @param worker the user's worker behavior
   * @param backoff immediate restarts, delays and restart limit
   * @param <I> the item type
   * @param <R> the result type
   * @return the supervised worker
   */
  public static <I, R> Behavior<Work<I, R>> supervise(
      Behavior<Work<I, R>> worker, Backoff backoff) {
    return Behaviors.setup(
        ctx -> {
          // Created here, outside the restart boundary, so that its counts survive restarts.
          FailureReporter reporter = new FailureReporter(backoff);
          // The worker's type widens to Object so that the reporter can also pass on what is not
          // a Work (its own Resume, the worker's timer messages) without a cast that would fail.
          Behavior<Object> any = worker.unsafeCast();
          return Behaviors.supervise(Behaviors.intercept(() -> reporter, any))
              .onFailure(
                  RestartWorker.class,
                  // The pool logs each failed item once, with the item and attempt.
                  SupervisorStrategy.restart().withLoggingEnabled(false))
              .narrow();
        });
  }

  @Override
  public Behavior<Object> aroundStart(
      TypedActorContext<Object> ctx, BehaviorInterceptor.PreStartTarget<Object> target) {
    try {
      return target.start(ctx);
    } catch (Exception e) {
      // Checked exceptions reach here too: a Behaviors.setup factory may throw them.
      return onStartFailure(ctx, e);
    }
  }

  private Behavior<Object> onStartFailure(TypedActorContext<Object> ctx, Exception error) {
    failuresInRow++;
    if (limitReached()) {
      throw new IllegalStateException("worker setup failed", error);
    }
    waitBeforeRestart(ctx, error);
    // A stand-in that gets nothing: every message is held until the restart.
    return Behaviors.empty();
  }

  @Override
  public Behavior<Object> aroundReceive(
      TypedActorContext<Object> ctx, Object msg, BehaviorInterceptor.ReceiveTarget<Object> target) {
    if (msg instanceof Resume resume && resume.owner() == this) {
      return onResume(ctx);
    }
    if (waiting) {
      held.addLast(msg);
      return Behaviors.same();
    }
    Behavior<Object> next;
    try {
      next = target.apply(ctx, msg);
    } catch (Exception e) {
      // Checked exceptions reach here too: Pekko's Java DSL lets handlers throw them.
      boolean retried = false;
      if (msg instanceof Work<?, ?> work) {
        work.fail(e);
        retried = work.attempt() > 1;
      }
      return onFailure(ctx, e, retried);
    } catch (Error e) {
      if (msg instanceof Work<?, ?> work) {
        work.fail(e);
      }
      throw e;
    }
    failuresInRow = 0;
    backoffRestarts = 0;
    return next;
  }

  @Override
  public Behavior<Object> aroundSignal(
      TypedActorContext<Object> ctx,
      Signal signal,
      BehaviorInterceptor.SignalTarget<Object> target) {
    if (signal instanceof PreRestart || signal instanceof PostStop) {
      // Pekko logs a failure in these itself; there is nothing left to restart.
      return target.apply(ctx, signal);
    }
    try {
      return target.apply(ctx, signal);
    } catch (Exception e) {
      return onFailure(ctx, e, false);
    }
  }

  /** Restarts the worker at once, after a delay, or not at all; see the class comment. */
  private Behavior<Object> onFailure(
      TypedActorContext<Object> ctx, Exception error, boolean retried) {
    // An item on its second or later attempt has failed before, most likely on another worker:
    // it, not this worker, is the likely culprit, so its failure does not add to the count. A
    // run of such items (the retries a job coordinator releases together, the last items of a
    // job that are all failing ones) would otherwise look like a broken worker. With no
    // immediate restarts configured every failure counts, as it always did.
    if (!retried || backoff.immediateRestarts() == 0) {
      failuresInRow++;
    }
    if (failuresInRow <= backoff.immediateRestarts()) {
      throw new RestartWorker(error);
    }
    if (limitReached()) {
      // Not a RestartWorker: the supervisor lets it through and the worker stops.
      throw new IllegalStateException(
          "worker failed on " + failuresInRow + " messages in a row; restart limit reached", error);
    }
    waitBeforeRestart(ctx, error);
    return Behaviors.same();
  }

  private boolean limitReached() {
    return backoff.maxRestarts() != -1 && backoffRestarts >= backoff.maxRestarts();
  }

  private void waitBeforeRestart(TypedActorContext<Object> ctx, Throwable error) {
    Duration delay = delay(backoffRestarts);
    backoffRestarts++;
    waiting = true;
    lastFailure = error;
    ctx.asJava()
        .getLog()
        .warn(
            "Worker failed on {} message(s) in a row; restarting it in [{}] ms: {}",
            failuresInRow,
            delay.toMillis(),
            error.toString());
    ctx.asJava().scheduleOnce(delay, ctx.asJava().getSelf(), new Resume(this));
  }

  private Behavior<Object> onResume(TypedActorContext<Object> ctx) {
    if (!waiting) {
      return Behaviors.same();
    }
    waiting = false;
    for (Object msg = held.pollFirst(); msg != null; msg = held.pollFirst()) {
      ctx.asJava().getSelf().tell(msg);
    }
    Throwable cause = lastFailure;
    lastFailure = null;
    throw new RestartWorker(cause);
  }

  /** The n-th delay (from 0): {@code min * 2^n}, capped at max, plus up to randomFactor of it. */
  private Duration delay(int n) {
    double min = backoff.minBackoff().toNanos();
    double max = backoff.maxBackoff().toNanos();
    double base = Math.min(max, min * Math.pow(2, Math.min(n, 62)));
    double jitter = 1 + ThreadLocalRandom.current().nextDouble() * backoff.randomFactor();
    return Duration.ofNanos((long) Math.min(Long.MAX_VALUE, base * jitter));
  }
}
