package io.troupe.actors;

import io.troupe.actors.internal.FailureReporter;
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
   * Wraps a worker the way pools run it: an exception while handling an item is reported as that
   * item's failure and the worker is restarted with backoff.
   *
   * <p>The supervisor's own failure log is switched off because the pool logs each failure once,
   * with the item and attempt.
   *
   * @param worker the user's worker behavior
   * @param backoff restart delays and limit
   * @param <I> the item type
   * @param <R> the result type
   * @return the supervised worker
   */
  public static <I, R> Behavior<Work<I, R>> supervised(
      Behavior<Work<I, R>> worker, Backoff backoff) {
    return Behaviors.supervise(Behaviors.intercept(FailureReporter<I, R>::new, worker))
        .onFailure(
            Exception.class,
            org.apache.pekko.actor.typed.SupervisorStrategy.restartWithBackoff(
                    backoff.minBackoff(), backoff.maxBackoff(), backoff.randomFactor())
                .withMaxRestarts(backoff.maxRestarts())
                .withLoggingEnabled(false));
  }
}
