package io.troupe.actors;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * One item handed to a pooled worker by a {@link WorkerPool} or a {@link Stage}; the worker answers
 * with exactly one {@link Outcome}, through {@link #reply} or {@link #fail}.
 *
 * <p>A worker is any {@code Behavior<Work<I, R>>}. It may reply from inside its message handler or
 * later (after an asynchronous call piped to itself). An exception thrown by the handler is
 * reported as a failure for this item by the runtime, so a worker need not catch its own bugs.
 *
 * <pre>{@code
 * Behavior<Work<String, Integer>> length =
 *     Behaviors.receive((ctx, work) -> {
 *       work.reply(work.item().length());
 *       return Behaviors.same();
 *     });
 * }</pre>
 *
 * @param id the pool-assigned id of this hand-out; unique within the pool
 * @param item the item to process
 * @param attempt 1 for the first hand-out of the item, 2 for its first retry, and so on
 * @param replyTo where the outcome goes; normally use {@link #reply} and {@link #fail}
 * @param <I> the item type
 * @param <R> the result type
 */
public record Work<I, R>(long id, I item, int attempt, ActorRef<Outcome<R>> replyTo) {

  /**
   * Answers with the result of processing the item.
   *
   * @param result the result
   */
  public void reply(R result) {
    replyTo.tell(new Completed<>(id, result));
  }

  /**
   * Answers that processing the item failed; the pool retries it or quarantines it.
   *
   * @param error what went wrong
   */
  public void fail(Throwable error) {
    replyTo.tell(new Failed<>(id, error));
  }

  /**
   * A worker's answer to one {@link Work}.
   *
   * @param <R> the result type
   */
  public sealed interface Outcome<R> {
    /** Returns the id of the {@link Work} this answers. */
    long id();
  }

  /**
   * The item was processed.
   *
   * @param id the id of the work
   * @param result the result
   * @param <R> the result type
   */
  public record Completed<R>(long id, R result) implements Outcome<R> {}

  /**
   * Processing the item failed.
   *
   * @param id the id of the work
   * @param error what went wrong
   * @param <R> the result type
   */
  public record Failed<R>(long id, Throwable error) implements Outcome<R> {}
}
