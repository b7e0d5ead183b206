package io.troupe.bench.savina;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One recursive call of {@link Fibonacci}: answers fib(0) and fib(1) itself, else spawns a child
 * call for each of n - 1 and n - 2, adds their results, replies to its parent and stops.
 */
final class FibCall extends AbstractBehavior<FibCall.Command> {

  /** Messages a call receives. */
  sealed interface Command {}

  /**
   * Computes fib(n); replied to with {@link Result} to the parent.
   *
   * @param n the argument
   */
  record Request(int n) implements Command {}

  /**
   * The value a call computed; no reply.
   *
   * @param value fib of the call's argument
   */
  record Result(long value) implements Command {}

  private final ActorRef<Result> parent;
  private long sum;
  private int results;

  private FibCall(ActorContext<Command> context, ActorRef<Result> parent) {
    super(context);
    this.parent = parent;
  }

  /**
   * Creates a call that waits for its {@link Request}.
   *
   * @param parent who gets the result
   * @return the behavior
   */
  static Behavior<Command> create(ActorRef<Result> parent) {
    return Behaviors.setup(context -> new FibCall(context, parent));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Request.class, this::onRequest)
        .onMessage(Result.class, this::onResult)
        .build();
  }

  private Behavior<Command> onRequest(Request request) {
    int n = request.n();
    if (n <= 1) {
      parent.tell(new Result(n));
      return Behaviors.stopped();
    }
    ActorRef<Result> self = getContext().getSelf().narrow();
    getContext().spawnAnonymous(create(self)).tell(new Request(n - 1));
    getContext().spawnAnonymous(create(self)).tell(new Request(n - 2));
    return this;
  }

  private Behavior<Command> onResult(Result result) {
    sum += result.value();
    results++;
    if (results < 2) {
      return this;
    }
    parent.tell(new Result(sum));
    return Behaviors.stopped();
  }
}
