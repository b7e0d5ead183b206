package io.troupe.bench.savina;

import java.util.ArrayList;
import java.util.List;
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
 * Savina ThreadRing: {@link RingMember}s connected in a ring pass a token that counts down the hops
 * left; the member that receives it at zero sends an exit message once around the ring.
 *
 * <p>Result: the sum of the hops each member counted, collected by the exit message on its way
 * round. This actor drives the run: it builds the ring, times from handing the token to the first
 * member until the exit message is back where it started, and stops (stopping the ring with it).
 */
public final class ThreadRing extends AbstractBehavior<ThreadRing.Command> {

  /** Messages the driver receives. */
  public sealed interface Command {}

  /**
   * The exit message went once around the ring; no reply.
   *
   * @param hops the total number of hops the members counted
   */
  public record Finished(long hops) implements Command {}

  private final CompletableFuture<Measurement> result;
  private final long start;

  private ThreadRing(
      ActorContext<Command> context, int members, int hops, CompletableFuture<Measurement> result) {
    super(context);
    this.result = result;
    ActorRef<Finished> self = context.getSelf().narrow();
    List<ActorRef<RingMember.Command>> ring = new ArrayList<>(members);
    for (int i = 0; i < members; i++) {
      ring.add(context.spawn(RingMember.create(i, self), "member-" + i));
    }
    for (int i = 0; i < members; i++) {
      ring.get(i).tell(new RingMember.Connect(ring.get((i + 1) % members)));
    }
    this.start = System.nanoTime();
    ring.get(0).tell(new RingMember.Token(hops));
  }

  /**
   * Describes ThreadRing at the given size; it has no JDK baseline.
   *
   * @param members the number of actors in the ring, at least 1
   * @param hops the number of times the token is passed on, at least 0
   * @return the workload
   * @throws IllegalArgumentException if a size is out of range
   */
  public static Workload workload(int members, int hops) {
    Sizes.requireAtLeast(1, members, "members");
    Sizes.requireAtLeast(0, hops, "hops");
    return new Workload(
        "ThreadRing",
        String.format(
            Locale.ROOT, "%d actors in a ring pass a token on for %,d hops", members, hops),
        hops,
        result -> create(members, hops, result),
        Optional.empty());
  }

  /**
   * Creates the driver, which builds the ring and runs the workload as soon as it starts.
   *
   * @param members the number of actors in the ring
   * @param hops the number of hops
   * @param result completed with the counted hops and the elapsed time
   * @return the behavior
   */
  public static Behavior<Command> create(
      int members, int hops, CompletableFuture<Measurement> result) {
    return Behaviors.setup(context -> new ThreadRing(context, members, hops, result));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Finished.class, this::onFinished).build();
  }

  private Behavior<Command> onFinished(Finished finished) {
    result.complete(Measurement.since(start, finished.hops()));
    return Behaviors.stopped();
  }
}
