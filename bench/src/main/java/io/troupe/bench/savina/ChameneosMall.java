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
 * Savina Chameneos: this actor, the mall, pairs up {@link Chameneo}s that ask to meet until it has
 * arranged the given number of meetings, then sends every later asker away.
 *
 * <p>Result: the sum of the meetings each chameneo took part in, which is twice the meetings
 * arranged. The mall drives the run: it spawns the chameneos, times from the first start message to
 * the last chameneo's exit report, and stops.
 */
public final class ChameneosMall extends AbstractBehavior<ChameneosMall.Command> {

  /** Messages the mall receives. */
  public sealed interface Command {}

  /**
   * A chameneo asks to meet another; replied to with {@link Chameneo.Meet}, sent to the one of the
   * pair that asked first, or with {@link Chameneo.Exit} once all meetings are arranged.
   *
   * @param color the asker's colour
   * @param chameneo the asker
   */
  record MeetMe(Chameneo.Color color, ActorRef<Chameneo.Command> chameneo) implements Command {}

  /**
   * A chameneo left the mall; no reply.
   *
   * @param meetings the number of meetings it took part in
   */
  record Exited(long meetings) implements Command {}

  private final CompletableFuture<Measurement> result;
  private final int chameneos;
  private final long start;
  private int meetingsLeft;
  private MeetMe waiting;
  private int exited;
  private long meetings;

  private ChameneosMall(
      ActorContext<Command> context,
      int chameneos,
      int meetings,
      CompletableFuture<Measurement> result) {
    super(context);
    this.result = result;
    this.chameneos = chameneos;
    this.meetingsLeft = meetings;
    Chameneo.Color[] colors = Chameneo.Color.values();
    List<ActorRef<Chameneo.Command>> spawned = new ArrayList<>(chameneos);
    for (int i = 0; i < chameneos; i++) {
      spawned.add(
          context.spawn(
              Chameneo.create(colors[i % colors.length], context.getSelf()), "chameneo-" + i));
    }
    this.start = System.nanoTime();
    for (ActorRef<Chameneo.Command> chameneo : spawned) {
      chameneo.tell(Chameneo.Start.INSTANCE);
    }
  }

  /**
   * Describes Chameneos at the given size; it has no JDK baseline.
   *
   * @param chameneos the number of chameneos, at least 2
   * @param meetings the number of meetings the mall arranges, at least 0
   * @return the workload
   * @throws IllegalArgumentException if a size is out of range
   */
  public static Workload workload(int chameneos, int meetings) {
    Sizes.requireAtLeast(2, chameneos, "chameneos");
    Sizes.requireAtLeast(0, meetings, "meetings");
    return new Workload(
        "Chameneos",
        String.format(
            Locale.ROOT,
            "%d chameneos ask a mall actor to meet; it arranges %,d meetings, each changing"
                + " both colours (result: 2 × meetings)",
            chameneos,
            meetings),
        2L * meetings,
        result -> create(chameneos, meetings, result),
        Optional.empty());
  }

  /**
   * Creates the mall, which spawns the chameneos and runs the workload as soon as it starts.
   *
   * @param chameneos the number of chameneos
   * @param meetings the number of meetings to arrange
   * @param result completed with the chameneos' meeting count and the elapsed time
   * @return the behavior
   */
  public static Behavior<Command> create(
      int chameneos, int meetings, CompletableFuture<Measurement> result) {
    return Behaviors.setup(context -> new ChameneosMall(context, chameneos, meetings, result));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(MeetMe.class, this::onMeetMe)
        .onMessage(Exited.class, this::onExited)
        .build();
  }

  private Behavior<Command> onMeetMe(MeetMe request) {
    if (meetingsLeft == 0) {
      request.chameneo().tell(Chameneo.Exit.INSTANCE);
    } else if (waiting == null) {
      waiting = request;
    } else {
      meetingsLeft--;
      waiting.chameneo().tell(new Chameneo.Meet(request.color(), request.chameneo()));
      waiting = null;
    }
    return this;
  }

  private Behavior<Command> onExited(Exited message) {
    exited++;
    meetings += message.meetings();
    if (exited < chameneos) {
      return this;
    }
    result.complete(Measurement.since(start, meetings));
    return Behaviors.stopped();
  }
}
