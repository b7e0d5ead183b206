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
 * Savina PingPong: this actor, the pinger, sends numbered pings to a {@link Ponger} one at a time
 * and sends the next only when the pong for the previous one has arrived.
 *
 * <p>Result: the number of pongs received, each checked to carry the number of the ping it answers.
 * The pinger drives the run: it spawns the ponger, times from the first ping to the last pong and
 * stops (stopping the ponger with it).
 */
public final class PingPong extends AbstractBehavior<PingPong.Command> {

  /** Messages the pinger receives. */
  public sealed interface Command {}

  /**
   * The answer to ping number {@code seq}; no reply.
   *
   * @param seq the number of the ping it answers
   */
  public record Pong(int seq) implements Command {}

  private final int pings;
  private final CompletableFuture<Measurement> result;
  private final ActorRef<Ponger.Command> ponger;
  private final ActorRef<Pong> self;
  private final long start;
  private int received;

  private PingPong(
      ActorContext<Command> context, int pings, CompletableFuture<Measurement> result) {
    super(context);
    this.pings = pings;
    this.result = result;
    this.ponger = context.spawn(Ponger.create(), "ponger");
    this.self = context.getSelf().narrow();
    this.start = System.nanoTime();
    ponger.tell(new Ponger.Ping(1, self));
  }

  /**
   * Describes PingPong at the given size, with its JDK baseline.
   *
   * @param pings the number of pings, at least 1
   * @return the workload
   * @throws IllegalArgumentException if {@code pings} is below 1
   */
  public static Workload workload(int pings) {
    Sizes.requireAtLeast(1, pings, "pings");
    return new Workload(
        "PingPong",
        String.format(
            Locale.ROOT,
            "a pinger sends %,d pings to a ponger one at a time; each is answered by a pong",
            pings),
        pings,
        result -> create(pings, result),
        Optional.of(
            new JdkBaseline(
                "2 threads, `SynchronousQueue` hand-off each way",
                pools -> JdkBaselines.pingPong(pings))));
  }

  /**
   * Creates the pinger, which runs the workload as soon as it starts.
   *
   * @param pings the number of pings
   * @param result completed with the number of pongs and the elapsed time
   * @return the behavior
   */
  public static Behavior<Command> create(int pings, CompletableFuture<Measurement> result) {
    return Behaviors.setup(context -> new PingPong(context, pings, result));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Pong.class, this::onPong).build();
  }

  private Behavior<Command> onPong(Pong pong) {
    if (pong.seq() != received + 1) {
      throw new IllegalStateException(
          "pong " + pong.seq() + " arrived while pong " + (received + 1) + " was due");
    }
    received++;
    if (received < pings) {
      ponger.tell(new Ponger.Ping(received + 1, self));
      return this;
    }
    result.complete(Measurement.since(start, received));
    return Behaviors.stopped();
  }
}
