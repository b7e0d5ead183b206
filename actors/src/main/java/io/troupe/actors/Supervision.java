package io.troupe.actors;

import io.troupe.actors.internal.QuarantineInterceptor;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Supervision presets users reach for, as behavior decorators.
 *
 * <p>Each preset wraps a behavior so that an exception thrown while it handles a message is dealt
 * with in one well-known way:
 *
 * <ul>
 *   <li>{@link #restartWithBackoff}: the actor is restarted with fresh state after an exponentially
 *       growing delay; messages arriving meanwhile are stashed. After the restart limit it stops.
 *   <li>{@link #resume}: the exception is logged and the actor keeps its state and goes on with the
 *       next message.
 *   <li>{@link #stop}: the actor stops; watchers get {@code Terminated}.
 *   <li>{@link #quarantining}: a message that keeps failing is retried, then set aside as a {@link
 *       Quarantined} record while the actor carries on.
 * </ul>
 *
 * <p>Only {@link Exception}s are handled; an {@link Error} is never swallowed.
 */
public final class Supervision {

  private Supervision() {}

  /**
   * Restarts the actor after each failure with exponential backoff and a restart limit.
   *
   * @param behavior the behavior to supervise
   * @param backoff delays and restart limit
   * @param <T> the message type
   * @return the supervised behavior
   */
  public static <T> Behavior<T> restartWithBackoff(Behavior<T> behavior, Backoff backoff) {
    Objects.requireNonNull(backoff, "backoff");
    return Behaviors.supervise(behavior).onFailure(Exception.class, strategy(backoff));
  }

  /**
   * Restarts the actor after each failure with the backoff from {@code troupe.actors.supervision}.
   *
   * @param behavior the behavior to supervise
   * @param <T> the message type
   * @return the supervised behavior
   */
  public static <T> Behavior<T> restartWithBackoff(Behavior<T> behavior) {
    return Behaviors.setup(
        ctx -> restartWithBackoff(behavior, TroupeSettings.create(ctx.getSystem()).backoff()));
  }

  /**
   * Logs a failure and keeps the actor's state, continuing with the next message.
   *
   * @param behavior the behavior to supervise
   * @param <T> the message type
   * @return the supervised behavior
   */
  public static <T> Behavior<T> resume(Behavior<T> behavior) {
    return Behaviors.supervise(behavior).onFailure(Exception.class, SupervisorStrategy.resume());
  }

  /**
   * Stops the actor on its first failure.
   *
   * @param behavior the behavior to supervise
   * @param <T> the message type
   * @return the supervised behavior
   */
  public static <T> Behavior<T> stop(Behavior<T> behavior) {
    return Behaviors.supervise(behavior).onFailure(Exception.class, SupervisorStrategy.stop());
  }

  /**
   * Retries a failing message and quarantines it when it keeps failing, restarting the actor with
   * backoff after every failure.
   *
   * <p>A message whose handling throws is delivered again (after the restart, so to a fresh state),
   * up to {@code maxAttempts} times in all. When the last attempt fails, a {@link Quarantined}
   * record with the message and the exception goes to {@code quarantine}, is logged at ERROR, and
   * the actor carries on with its next message. A retried message goes to the back of the mailbox,
   * so it may overtake, or be overtaken by, messages sent after it.
   *
   * @param behavior the behavior to supervise
   * @param maxAttempts attempts per message before it is quarantined; at least 1
   * @param backoff restart delays; its restart limit applies to the actor, not to one message
   * @param quarantine receives one record per quarantined message
   * @param <T> the message type
   * @return the supervised behavior
   * @throws IllegalArgumentException if {@code maxAttempts < 1}
   */
  public static <T> Behavior<T> quarantining(
      Behavior<T> behavior, int maxAttempts, Backoff backoff, ActorRef<Quarantined<T>> quarantine) {
    Backoff.requireArgument(maxAttempts >= 1, "maxAttempts must be >= 1, was %s", maxAttempts);
    Objects.requireNonNull(quarantine, "quarantine");
    // The interceptor is created outside the restart boundary so that its attempt counts
    // survive the restarts it triggers.
    return Behaviors.setup(
        ctx -> {
          QuarantineInterceptor<T> interceptor =
              new QuarantineInterceptor<>(maxAttempts, quarantine);
          return restartWithBackoff(Behaviors.intercept(() -> interceptor, behavior), backoff);
        });
  }

  /**
   * Like {@link #quarantining(Behavior, int, Backoff, ActorRef)}, with the attempts and backoff
   * from {@code troupe.actors}.
   *
   * @param behavior the behavior to supervise
   * @param quarantine receives one record per quarantined message
   * @param <T> the message type
   * @return the supervised behavior
   */
  public static <T> Behavior<T> quarantining(
      Behavior<T> behavior, ActorRef<Quarantined<T>> quarantine) {
    return Behaviors.setup(
        ctx -> {
          TroupeSettings settings = TroupeSettings.create(ctx.getSystem());
          return quarantining(behavior, settings.maxAttempts(), settings.backoff(), quarantine);
        });
  }

  /** Returns the Pekko strategy for a backoff; for Troupe's own decorators. */
  public static SupervisorStrategy strategy(Backoff backoff) {
    return SupervisorStrategy.restartWithBackoff(
            backoff.minBackoff(), backoff.maxBackoff(), backoff.randomFactor())
        .withMaxRestarts(backoff.maxRestarts());
  }
}
