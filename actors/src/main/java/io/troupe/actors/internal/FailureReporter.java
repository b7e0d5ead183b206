package io.troupe.actors.internal;

import io.troupe.actors.Work;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;

/**
 * Turns an exception thrown while a worker handles a {@link Work} into a {@link Work.Failed}
 * answer, then rethrows it so the worker's supervisor restarts it (internal API).
 *
 * <p>This is the runtime boundary of STYLE's error rule: the pool learns about the failed item (and
 * retries or quarantines it) while supervision deals with the worker's possibly corrupt state.
 */
public final class FailureReporter<I, R> extends BehaviorInterceptor<Work<I, R>, Work<I, R>> {

  /** Creates the interceptor. */
  @SuppressWarnings("unchecked") // Work<I, R> is erased to Work at run time
  public FailureReporter() {
    super((Class<Work<I, R>>) (Class<?>) Work.class);
  }

  @Override
  public Behavior<Work<I, R>> aroundReceive(
      TypedActorContext<Work<I, R>> ctx,
      Work<I, R> work,
      BehaviorInterceptor.ReceiveTarget<Work<I, R>> target) {
    try {
      return target.apply(ctx, work);
    } catch (Throwable e) {
      // Checked exceptions reach here too: Pekko's Java DSL lets handlers throw them.
      work.fail(e);
      throw e;
    }
  }
}
