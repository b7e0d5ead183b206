package io.troupe.cluster.internal;

import io.troupe.actors.Work;
import io.troupe.sdk.Task;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;

/**
 * Runs a pipeline's worker ({@code Behavior<Task<I, P>>}) as a runtime worker ({@code
 * Behavior<Work<WorkItem<?>, ItemResult>>}): each hand-out reaches the pipeline's behavior as a
 * {@link Task} whose answers go back as the hand-out's outcome (internal API).
 *
 * <p>Implementation notes: the task is a thin view of the hand-out, made per message. An answer the
 * runtime cannot carry (a null partial or item) fails the item with that reason instead of
 * throwing, because a worker may answer from a future's thread, where an exception would be lost
 * and the item would only time out. A second answer to one task is ignored by the runtime, which
 * matches answers by hand-out id.
 *
 * @param <I> the pipeline's payload type
 * @param <P> the pipeline's partial result type
 */
public final class TaskInterceptor<I extends TroupeMessage, P extends TroupeMessage>
    extends BehaviorInterceptor<Work<WorkItem<?>, ItemResult>, Task<I, P>> {

  /** Creates the interceptor of one worker. */
  @SuppressWarnings("unchecked") // Work<WorkItem<?>, ItemResult> is erased to Work at run time
  public TaskInterceptor() {
    super((Class<Work<WorkItem<?>, ItemResult>>) (Class<?>) Work.class);
  }

  @Override
  public Behavior<Task<I, P>> aroundReceive(
      TypedActorContext<Work<WorkItem<?>, ItemResult>> ctx,
      Work<WorkItem<?>, ItemResult> work,
      BehaviorInterceptor.ReceiveTarget<Task<I, P>> target) {
    return target.apply(ctx, new HandedOut<>(work));
  }

  /** One hand-out seen as a task. */
  private record HandedOut<I extends TroupeMessage, P extends TroupeMessage>(
      Work<WorkItem<?>, ItemResult> work) implements Task<I, P> {

    @Override
    @SuppressWarnings("unchecked") // the pipeline planned this item with payloads of type I
    public WorkItem<I> item() {
      return (WorkItem<I>) work.item();
    }

    @Override
    public int attempt() {
      return work.attempt();
    }

    @Override
    public void complete(P partial) {
      complete(partial, List.of());
    }

    @Override
    public void complete(P partial, List<WorkItem<I>> newItems) {
      if (partial == null) {
        work.fail(
            new IllegalArgumentException("the worker completed the item with a null partial"));
      } else if (hasNull(newItems)) {
        work.fail(new IllegalArgumentException("the worker completed the item with a null item"));
      } else {
        work.reply(new ItemResult(partial, List.<WorkItem<?>>copyOf(newItems)));
      }
    }

    private static boolean hasNull(List<?> items) {
      if (items == null) {
        return true;
      }
      for (Object item : items) {
        if (item == null) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void fail(Throwable error) {
      work.fail(
          error == null ? new IllegalArgumentException("the worker failed with no error") : error);
    }

    @Override
    public String toString() {
      return "Task[" + work.item() + ", attempt " + work.attempt() + "]";
    }
  }
}
