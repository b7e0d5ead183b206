package io.troupe.actors.internal;

import io.troupe.actors.Quarantined;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;

/**
 * Counts failed attempts per message and redelivers or quarantines it (internal API).
 *
 * <p>Implementation notes: one instance lives per actor, created outside the restart boundary of
 * the supervisor that wraps it, so its attempt table survives restarts; only the actor's own thread
 * touches it. Messages are tracked by identity: a redelivery re-sends the very same object to self,
 * which is how the next attempt is recognised. When an attempt fails and attempts remain, the
 * message is re-sent and the exception is rethrown so the supervisor restarts the actor (with
 * backoff; the supervisor stashes the redelivery until the restart is done). On the last attempt
 * the record goes to the quarantine listener and the exception is rethrown as well, so the actor
 * restarts from a clean state rather than continuing with one a failed handler may have
 * half-updated.
 */
public final class QuarantineInterceptor<T> extends BehaviorInterceptor<T, T> {

  private final int maxAttempts;
  private final ActorRef<Quarantined<T>> quarantine;
  private final Map<T, Integer> failedAttempts = new IdentityHashMap<>();

  /**
   * Creates the interceptor of one actor.
   *
   * @param maxAttempts attempts per message before it is quarantined
   * @param quarantine receives one record per quarantined message
   */
  @SuppressWarnings("unchecked") // intercepts every message; T is erased at run time anyway
  public QuarantineInterceptor(int maxAttempts, ActorRef<Quarantined<T>> quarantine) {
    super((Class<T>) (Class<?>) Object.class);
    this.maxAttempts = maxAttempts;
    this.quarantine = quarantine;
  }

  @Override
  public Behavior<T> aroundReceive(
      TypedActorContext<T> ctx, T msg, BehaviorInterceptor.ReceiveTarget<T> target) {
    Behavior<T> next;
    try {
      next = target.apply(ctx, msg);
    } catch (Throwable e) {
      // Checked exceptions reach here too: Pekko's Java DSL lets handlers throw them.
      onFailure(ctx, msg, e);
      throw e;
    }
    failedAttempts.remove(msg);
    return next;
  }

  private void onFailure(TypedActorContext<T> ctx, T msg, Throwable error) {
    int attempts = failedAttempts.getOrDefault(msg, 0) + 1;
    if (attempts < maxAttempts) {
      failedAttempts.put(msg, attempts);
      ctx.asJava()
          .getLog()
          .warn(
              "Message [{}] failed (attempt {} of {}), retrying: {}",
              msg.getClass().getSimpleName(),
              attempts,
              maxAttempts,
              error.toString());
      ctx.asJava().getSelf().tell(msg);
    } else {
      failedAttempts.remove(msg);
      ctx.asJava()
          .getLog()
          .error(
              "Quarantined message [{}] after {} attempts: {}",
              msg.getClass().getSimpleName(),
              attempts,
              error.toString());
      quarantine.tell(Quarantined.of(msg, error, attempts));
    }
  }

  @Override
  public boolean isSame(BehaviorInterceptor<Object, Object> other) {
    return other == this;
  }
}
