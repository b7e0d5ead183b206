package io.troupe.sdk;

import java.util.Objects;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Ready-made worker behaviors. A pipeline may also write its worker as any actor of type {@code
 * Behavior<Task<I, P>>} (for example an {@code AbstractBehavior} that keeps state or talks to
 * entities); these cover the common cases.
 */
public final class Workers {

  private Workers() {}

  /**
   * Computes an item's partial result from its payload.
   *
   * @param <I> the payload type
   * @param <P> the partial result type
   */
  @FunctionalInterface
  public interface ItemFunction<I, P> {
    /**
     * Processes one payload.
     *
     * @param payload the item's payload
     * @return the item's partial result
     * @throws Exception to fail the item (it is retried, then quarantined)
     */
    P apply(I payload) throws Exception;
  }

  /**
   * Handles one task and answers it, now or later.
   *
   * @param <I> the payload type
   * @param <P> the partial result type
   */
  @FunctionalInterface
  public interface TaskHandler<I extends TroupeMessage, P extends TroupeMessage> {
    /**
     * Processes one task; must answer it exactly once, through {@link Task#complete} or {@link
     * Task#fail}, possibly after this method returned.
     *
     * @param task the task
     * @throws Exception to fail the task's item
     */
    void handle(Task<I, P> task) throws Exception;
  }

  /**
   * Returns a worker that answers each item with {@code function}'s result for its payload.
   *
   * <pre>{@code
   * return Workers.of((Range range) -> new Sum(squares(range)));
   * }</pre>
   *
   * @param function the work per item; must not block on I/O for long
   * @param <I> the payload type
   * @param <P> the partial result type
   * @return the worker behavior
   */
  public static <I extends TroupeMessage, P extends TroupeMessage> Behavior<Task<I, P>> of(
      ItemFunction<? super I, ? extends P> function) {
    Objects.requireNonNull(function, "function");
    return Behaviors.receive(
        (ctx, task) -> {
          task.complete(function.apply(task.payload()));
          return Behaviors.same();
        });
  }

  /**
   * Returns a worker that hands each task to {@code handler}, which answers it: with new items
   * (fork/join), or later (after an asynchronous call).
   *
   * @param handler the work per task
   * @param <I> the payload type
   * @param <P> the partial result type
   * @return the worker behavior
   */
  public static <I extends TroupeMessage, P extends TroupeMessage> Behavior<Task<I, P>> ofTasks(
      TaskHandler<I, P> handler) {
    Objects.requireNonNull(handler, "handler");
    return Behaviors.receive(
        (ctx, task) -> {
          handler.handle(task);
          return Behaviors.same();
        });
  }
}
