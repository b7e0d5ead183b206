package io.troupe.bench.savina;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Savina Counting: this actor, the producer, sends increments to a {@link Counter} as fast as it
 * can, then asks for the total.
 *
 * <p>Result: the counter's total. The producer drives the run: it spawns the counter, times from
 * the first increment to the arrival of the total and stops (stopping the counter with it).
 */
public final class Counting extends AbstractBehavior<Counting.Command> {

  /** Messages the producer receives. */
  public sealed interface Command {}

  private record WrappedTotal(Counter.Total total) implements Command {}

  private final CompletableFuture<Measurement> result;
  private final long start;

  private Counting(
      ActorContext<Command> context, int increments, CompletableFuture<Measurement> result) {
    super(context);
    this.result = result;
    ActorRef<Counter.Command> counter = context.spawn(Counter.create(), "counter");
    ActorRef<Counter.Total> replyTo =
        context.messageAdapter(Counter.Total.class, WrappedTotal::new);
    this.start = System.nanoTime();
    for (int i = 0; i < increments; i++) {
      counter.tell(Counter.Increment.INSTANCE);
    }
    counter.tell(new Counter.Retrieve(replyTo));
  }

  /**
   * Describes Counting at the given size, with its JDK baseline.
   *
   * @param increments the number of increments, at least 0
   * @return the workload
   * @throws IllegalArgumentException if {@code increments} is negative
   */
  public static Workload workload(int increments) {
    Sizes.requireAtLeast(0, increments, "increments");
    return new Workload(
        "Counting",
        String.format(
            Locale.ROOT,
            "a producer sends %,d increments to a counter, then asks it for the total",
            increments),
        increments,
        result -> create(increments, result),
        Optional.of(
            new JdkBaseline(
                "producer thread → consumer thread over a `LinkedBlockingQueue`",
                pools -> JdkBaselines.counting(increments))));
  }

  /**
   * Creates the producer, which runs the workload as soon as it starts.
   *
   * @param increments the number of increments
   * @param result completed with the counter's total and the elapsed time
   * @return the behavior
   */
  public static Behavior<Command> create(int increments, CompletableFuture<Measurement> result) {
    return Behaviors.setup(context -> new Counting(context, increments, result));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(WrappedTotal.class, this::onTotal).build();
  }

  private Behavior<Command> onTotal(WrappedTotal wrapped) {
    result.complete(Measurement.since(start, wrapped.total().count()));
    return Behaviors.stopped();
  }
}
