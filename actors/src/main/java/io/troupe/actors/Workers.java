package io.troupe.actors;

import io.troupe.actors.internal.FailureReporter;
import java.util.Objects;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Factories for pooled worker behaviors. */
public final class Workers {

  private Workers() {}

  /**
   * Returns a worker that answers each item with {@code function}'s result.
   *
   * <p>An exception thrown by the function fails the item; the pool retries or quarantines it.
   *
   * @param function the work to do per item; must not block for long (use the blocking dispatcher
   *     for I/O)
   * @param <I> the item type
   * @param <R> the result type
   * @return the worker behavior
   */
  public static <I, R> Behavior<Work<I, R>> fromFunction(
      Function<? super I, ? extends R> function) {
    return Behaviors.receive(
        (ctx, work) -> {
          work.reply(function.apply(work.item()));
          return Behaviors.same();
        });
  }

  /**
   * Wraps a worker the way pools run it: an exception while handling an item fails that item, and
   * costs the worker only a restart.
   *
   * <p>The exception is answered as the item's {@link Work.Failed}, so the pool retries or
   * quarantines the item, and the worker is restarted at once with fresh state and its mailbox
   * intact, for up to {@link Backoff#immediateRestarts()} failures in a row. A worker that goes on
   * failing message after message is restarted after {@code backoff}'s growing delays instead,
   * holding its messages meanwhile, and is stopped after {@link Backoff#maxRestarts()} such
   * restarts in a row (its pool then replaces it). A message handled without an exception resets
   * both counts; an item failing on a retry ({@link Work#attempt()} above 1) does not add to them.
   * A worker that fails an item without throwing ({@link Work#fail}, for asynchronous work) is not
   * restarted at all. Failures are not logged here: the pool logs each failed item once, with the
   * item and attempt; a restart with backoff is logged at WARN.
   *
   * @param worker the user's worker behavior
   * @param backoff immediate restarts, restart delays and limit
   * @param <I> the item type
   * @param <R> the result type
   * @return the supervised worker
   */
  public static <I, R> Behavior<Work<I, R>> supervised(
      Behavior<Work<I, R>> worker, Backoff backoff) {
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(backoff, "backoff");
    return FailureReporter.supervise(worker, backoff);
  }
}
