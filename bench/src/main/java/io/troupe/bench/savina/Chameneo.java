package io.troupe.bench.savina;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A chameneo of {@link ChameneosMall}: asks the mall for a meeting again and again; at each meeting
 * both chameneos take the complement of their two colours.
 *
 * <p>Of a pair, the one that asked first gets {@link Meet} from the mall, changes colour and tells
 * its partner the new colour with {@link Change}; both then ask the mall again.
 */
final class Chameneo extends AbstractBehavior<Chameneo.Command> {

  /** A chameneo's colour. */
  enum Color {
    RED,
    YELLOW,
    BLUE;

    /** Returns the colour two chameneos take when they meet: their own if equal, else the third. */
    Color complement(Color other) {
      if (this == other) {
        return this;
      }
      for (Color color : values()) {
        if (color != this && color != other) {
          return color;
        }
      }
      throw new AssertionError("three colours always leave a third");
    }
  }

  /** Messages a chameneo receives. */
  sealed interface Command {}

  /** Starts asking the mall for meetings; no reply. */
  enum Start implements Command {
    INSTANCE
  }

  /**
   * A meeting arranged by the mall; answered with {@link Change} to the partner.
   *
   * @param color the partner's colour
   * @param partner the chameneo met
   */
  record Meet(Color color, ActorRef<Command> partner) implements Command {}

  /**
   * The partner of a meeting reports the colour both now take; no reply.
   *
   * @param color the new colour
   */
  record Change(Color color) implements Command {}

  /** The mall has no more meetings; answered with {@link ChameneosMall.Exited} to the mall. */
  enum Exit implements Command {
    INSTANCE
  }

  private final ActorRef<ChameneosMall.Command> mall;
  private final ActorRef<Command> self;
  private Color color;
  private long meetings;

  private Chameneo(
      ActorContext<Command> context, Color color, ActorRef<ChameneosMall.Command> mall) {
    super(context);
    this.color = color;
    this.mall = mall;
    this.self = context.getSelf();
  }

  /**
   * Creates a chameneo that waits for {@link Start}.
   *
   * @param color its first colour
   * @param mall the mall it asks for meetings
   * @return the behavior
   */
  static Behavior<Command> create(Color color, ActorRef<ChameneosMall.Command> mall) {
    return Behaviors.setup(context -> new Chameneo(context, color, mall));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, this::onStart)
        .onMessage(Meet.class, this::onMeet)
        .onMessage(Change.class, this::onChange)
        .onMessage(Exit.class, this::onExit)
        .build();
  }

  private Behavior<Command> onStart(Start start) {
    askForMeeting();
    return this;
  }

  private Behavior<Command> onMeet(Meet meet) {
    if (meet.partner().equals(self)) {
      throw new IllegalStateException("the mall paired " + self + " with itself");
    }
    color = color.complement(meet.color());
    meetings++;
    meet.partner().tell(new Change(color));
    askForMeeting();
    return this;
  }

  private Behavior<Command> onChange(Change change) {
    color = change.color();
    meetings++;
    askForMeeting();
    return this;
  }

  private Behavior<Command> onExit(Exit exit) {
    mall.tell(new ChameneosMall.Exited(meetings));
    return Behaviors.stopped();
  }

  private void askForMeeting() {
    mall.tell(new ChameneosMall.MeetMe(color, self));
  }
}
