package io.troupe.actors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/**
 * A task actor that splits a problem into child task actors and combines their results: fork/join
 * with actors.
 *
 * <p>Each task asks {@link Task#fork} for subproblems. With none, it solves the problem itself with
 * {@link Task#compute}; otherwise it spawns one child task per subproblem, waits for all of them
 * and answers with {@link Task#join} of their results, in fork order. Every task stops after
 * answering. The first failure anywhere in the tree (an exception from {@code fork}, {@code
 * compute} or {@code join}) is answered as an error at the root and stops the tree. Keep leaves
 * coarse (let {@code fork} return no subproblems below a threshold): an actor per tiny leaf costs
 * more than the leaf.
 *
 * <pre>{@code
 * ForkJoin.Task<Integer, Long> fib = new ForkJoin.Task<>() {
 *   public List<Integer> fork(Integer n) { return n < 20 ? List.of() : List.of(n - 1, n - 2); }
 *   public Long compute(Integer n) { return slowFib(n); }
 *   public Long join(List<Long> parts) { return parts.get(0) + parts.get(1); }
 * };
 * ctx.spawn(ForkJoin.create(fib, 30, replyTo), "fib-30"); // replyTo gets StatusReply.success(832040L)
 * }</pre>
 *
 * @param <P> the problem type
 * @param <R> the result type
 */
public final class ForkJoin<P, R> extends AbstractBehavior<ForkJoin.Command<R>> {

  /**
   * How to split, solve and combine a problem. Implementations must be safe to call from several
   * actors at once (they normally hold no state).
   *
   * @param <P> the problem type
   * @param <R> the result type
   */
  public interface Task<P, R> {
    /** Returns the subproblems of a problem, or an empty list to solve it directly. */
    List<P> fork(P problem);

    /** Solves a problem that is not split any further. */
    R compute(P problem);

    /** Combines the results of the subproblems, given in fork order. */
    R join(List<R> parts);
  }

  /**
   * Messages a task receives from its children.
   *
   * @param <R> the result type
   */
  public sealed interface Command<R> {}

  private record PartDone<R>(int index, R result) implements Command<R> {}

  private record PartFailed<R>(Throwable error) implements Command<R> {}

  private record PartStopped<R>(int index) implements Command<R> {}

  /** Where a task sends its answer: the user for the root, the parent for a child. */
  private interface Answer<R> {
    void success(R result);

    void failure(Throwable error);
  }

  /**
   * Creates the root task of a fork/join computation.
   *
   * @param task how to split, solve and combine
   * @param problem the problem to solve
   * @param replyTo receives the result, or an error if any part failed
   * @param <P> the problem type
   * @param <R> the result type
   * @return the root task's behavior
   */
  public static <P, R> Behavior<Command<R>> create(
      Task<P, R> task, P problem, ActorRef<StatusReply<R>> replyTo) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(replyTo, "replyTo");
    return create(
        task,
        problem,
        new Answer<R>() {
          @Override
          public void success(R result) {
            replyTo.tell(StatusReply.success(result));
          }

          @Override
          public void failure(Throwable error) {
            replyTo.tell(StatusReply.error(error));
          }
        });
  }

  private static <P, R> Behavior<Command<R>> create(Task<P, R> task, P problem, Answer<R> answer) {
    return Behaviors.setup(
        ctx -> {
          List<P> parts;
          try {
            parts = task.fork(problem);
            if (parts.isEmpty()) {
              answer.success(task.compute(problem));
              return Behaviors.stopped();
            }
          } catch (RuntimeException | StackOverflowError e) {
            answer.failure(e);
            return Behaviors.stopped();
          }
          return new ForkJoin<>(ctx, task, parts, answer);
        });
  }

  private final Task<P, R> task;
  private final Answer<R> answer;
  private final Object[] results;
  private final boolean[] answered;
  private int pending;

  private ForkJoin(ActorContext<Command<R>> ctx, Task<P, R> task, List<P> parts, Answer<R> answer) {
    super(ctx);
    this.task = task;
    this.answer = answer;
    this.results = new Object[parts.size()];
    this.answered = new boolean[parts.size()];
    this.pending = parts.size();
    ActorRef<Command<R>> self = ctx.getSelf();
    for (int i = 0; i < parts.size(); i++) {
      int index = i;
      ActorRef<Command<R>> child =
          ctx.spawn(
              create(
                  task,
                  parts.get(i),
                  new Answer<R>() {
                    @Override
                    public void success(R result) {
                      self.tell(new PartDone<>(index, result));
                    }

                    @Override
                    public void failure(Throwable error) {
                      self.tell(new PartFailed<>(error));
                    }
                  }),
              "part-" + i);
      // A part that stops without answering (stopped from outside, say) must not leave the task
      // waiting forever. A part's answer always arrives before the notice of its stop.
      ctx.watchWith(child, new PartStopped<>(index));
    }
  }

  @Override
  @SuppressWarnings("unchecked") // class literals of generic records
  public Receive<Command<R>> createReceive() {
    return newReceiveBuilder()
        .onMessage((Class<PartDone<R>>) (Class<?>) PartDone.class, this::onPartDone)
        .onMessage((Class<PartFailed<R>>) (Class<?>) PartFailed.class, this::onPartFailed)
        .onMessage((Class<PartStopped<R>>) (Class<?>) PartStopped.class, this::onPartStopped)
        .build();
  }

  @SuppressWarnings("unchecked") // results holds only R values
  private Behavior<Command<R>> onPartDone(PartDone<R> done) {
    results[done.index()] = done.result();
    answered[done.index()] = true;
    if (--pending > 0) {
      return this;
    }
    List<R> parts = new ArrayList<>(results.length);
    for (Object r : Arrays.asList(results)) {
      parts.add((R) r);
    }
    try {
      answer.success(task.join(parts));
    } catch (RuntimeException | StackOverflowError e) {
      answer.failure(e);
    }
    return Behaviors.stopped();
  }

  private Behavior<Command<R>> onPartStopped(PartStopped<R> stopped) {
    if (answered[stopped.index()]) {
      return this;
    }
    answer.failure(
        new IllegalStateException("part " + stopped.index() + " stopped without an answer"));
    return Behaviors.stopped();
  }

  private Behavior<Command<R>> onPartFailed(PartFailed<R> failed) {
    answer.failure(failed.error());
    return Behaviors.stopped();
  }
}
