package io.troupe.bench.savina;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Savina Fibonacci: computes fib(n) with one {@link FibCall} actor per recursive call, about {@code
 * 2 fib(n + 1)} actors in all.
 *
 * <p>Result: fib(n), with fib(0) = 0 and fib(1) = 1. This actor drives the run: it times from
 * spawning the root call to receiving its reply, and stops.
 */
public final class Fibonacci extends AbstractBehavior<Fibonacci.Command> {

  /** Messages the driver receives. */
  public sealed interface Command {}

  private record WrappedResult(FibCall.Result result) implements Command {}

  private final CompletableFuture<Measurement> result;
  private final long start;

  private Fibonacci(ActorContext<Command> context, int n, CompletableFuture<Measurement> result) {
    super(context);
    this.result = result;
    ActorRef<FibCall.Result> replyTo =
        context.messageAdapter(FibCall.Result.class, WrappedResult::new);
    this.start = System.nanoTime();
    context.spawn(FibCall.create(replyTo), "fib").tell(new FibCall.Request(n));
  }

  /**
   * Describes Fibonacci at the given size, with its JDK baseline.
   *
   * @param n the argument, from 0 to 40 (fib(40) already takes over 300 million actors)
   * @return the workload
   * @throws IllegalArgumentException if {@code n} is out of range
   */
  public static Workload workload(int n) {
    Sizes.requireAtLeast(0, n, "n");
    if (n > 40) {
      throw new IllegalArgumentException("n must be <= 40, was " + n);
    }
    return new Workload(
        "Fibonacci",
        "fib("
            + n
            + ") with one actor per recursive call: it spawns two children unless n <= 1,"
            + " sums their replies, replies to its parent and stops",
        fib(n),
        result -> create(n, result),
        Optional.of(
            new JdkBaseline(
                "`ForkJoinPool` (1 thread per core), one `RecursiveTask` per call",
                pools -> JdkBaselines.fibonacci(pools, n))));
  }

  /**
   * Creates the driver, which runs the workload as soon as it starts.
   *
   * @param n the argument
   * @param result completed with fib(n) and the elapsed time
   * @return the behavior
   */
  public static Behavior<Command> create(int n, CompletableFuture<Measurement> result) {
    return Behaviors.setup(context -> new Fibonacci(context, n, result));
  }

  /**
   * Returns fib(n), computed iteratively, as the reference result.
   *
   * @param n the argument, at least 0
   * @return fib(n)
   */
  public static long fib(int n) {
    long previous = 0;
    long current = 0;
    long next = 1;
    for (int i = 0; i < n; i++) {
      previous = current;
      current = next;
      next = previous + current;
    }
    return current;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(WrappedResult.class, this::onResult).build();
  }

  private Behavior<Command> onResult(WrappedResult wrapped) {
    result.complete(Measurement.since(start, wrapped.result().value()));
    return Behaviors.stopped();
  }
}
