package io.troupe.actors;

import io.troupe.actors.internal.WorkerAnswers;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One item handed to a pooled worker by a {@link WorkerPool} or a {@link Stage}; the worker answers
 * with exactly one {@link Outcome}, through {@link #reply} or {@link #fail}.
 *
 * <p>A worker is any {@code Behavior<Work<I, R>>}. It may reply from inside its message handler or
 * later (after an asynchronous call piped to itself), from any thread. An exception thrown by the
 * handler is reported as a failure for this item by the runtime, so a worker need not catch its own
 * bugs.
 *
 * <pre>{@code
 * Behavior<Work<String, Integer>> length =
 *     Behaviors.receive((ctx, work) -> {
 *       work.reply(work.item().length());
 *       return Behaviors.same();
 *     });
 * }</pre>
 *
 * <p>Implementation notes: the pools hand work out with an answer sink ({@link
 * io.troupe.actors.internal.WorkerAnswers}), through which {@link #reply} and {@link #fail} send
 * the answers of quick items to the pool a few at a time, as one {@link Answers}, instead of one
 * message (and often one thread wake-up) each. A worker that tells {@link #replyTo()} an outcome
 * itself bypasses the sink; the pool handles that as well.
 *
 * @param <I> the item type
 * @param <R> the result type
 */
public final class Work<I, R> {

  private final long id;
  private final I item;
  private final int attempt;
  private final ActorRef<Outcome<R>> replyTo;
  private final WorkerAnswers<R> answers;

  /**
   * Creates a hand-out whose outcome goes straight to {@code replyTo}.
   *
   * @param id the pool-assigned id of this hand-out; unique within the pool
   * @param item the item to process
   * @param attempt 1 for the first hand-out of the item, 2 for its first retry, and so on
   * @param replyTo where the outcome goes; normally use {@link #reply} and {@link #fail}
   */
  public Work(long id, I item, int attempt, ActorRef<Outcome<R>> replyTo) {
    this(id, item, attempt, replyTo, null);
  }

  /**
   * Creates a hand-out whose outcome goes through a worker's answer sink (internal API: the pools
   * use it).
   *
   * @param id the pool-assigned id of this hand-out; unique within the pool
   * @param item the item to process
   * @param attempt 1 for the first hand-out of the item, 2 for its first retry, and so on
   * @param replyTo where the outcome goes
   * @param answers the sink of the worker it is handed to, whose answers go to {@code replyTo}; or
   *     null to send each outcome on its own
   */
  public Work(
      long id, I item, int attempt, ActorRef<Outcome<R>> replyTo, WorkerAnswers<R> answers) {
    this.id = id;
    this.item = item;
    this.attempt = attempt;
    this.replyTo = Objects.requireNonNull(replyTo, "replyTo");
    this.answers = answers;
  }

  /** Returns the pool-assigned id of this hand-out; unique within the pool. */
  public long id() {
    return id;
  }

  /** Returns the item to process. */
  public I item() {
    return item;
  }

  /** Returns 1 for the first hand-out of the item, 2 for its first retry, and so on. */
  public int attempt() {
    return attempt;
  }

  /** Returns where the outcome goes; normally use {@link #reply} and {@link #fail}. */
  public ActorRef<Outcome<R>> replyTo() {
    return replyTo;
  }

  /**
   * Answers with the result of processing the item.
   *
   * @param result the result
   */
  public void reply(R result) {
    answer(new Completed<>(id, result));
  }

  /**
   * Answers that processing the item failed; the pool retries it or quarantines it.
   *
   * @param error what went wrong
   */
  public void fail(Throwable error) {
    answer(new Failed<>(id, error));
  }

  private void answer(Outcome<R> outcome) {
    if (answers == null) {
      replyTo.tell(outcome);
    } else {
      answers.accept(outcome);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Work<?, ?> w
        && id == w.id
        && attempt == w.attempt
        && Objects.equals(item, w.item)
        && replyTo.equals(w.replyTo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, item, attempt, replyTo);
  }

  @Override
  public String toString() {
    return "Work[id="
        + id
        + ", item="
        + item
        + ", attempt="
        + attempt
        + ", replyTo="
        + replyTo
        + "]";
  }

  /**
   * A worker's answer to one {@link Work}.
   *
   * @param <R> the result type
   */
  public sealed interface Outcome<R> {
    /** Returns the id of the {@link Work} this answers; -1 for {@link Answers}. */
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

  /**
   * The answers of several items from one worker, sent together by its answer sink; the pools take
   * them apart. Workers never send this themselves.
   *
   * @param outcomes the answers, in the order the worker gave them
   * @param answeredNanos {@link System#nanoTime()} when each was given, for the pool's timings
   * @param <R> the result type
   */
  public record Answers<R>(List<Outcome<R>> outcomes, long[] answeredNanos) implements Outcome<R> {
    @Override
    public long id() {
      return -1;
    }
  }
}
