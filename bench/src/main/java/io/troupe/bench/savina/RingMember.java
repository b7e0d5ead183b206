package io.troupe.bench.savina;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A member of {@link ThreadRing}: passes the token on to its neighbour until no hops are left,
 * counting the hops it made; then helps carry the exit message round the ring and stops.
 */
final class RingMember extends AbstractBehavior<RingMember.Command> {

  /** Messages a ring member receives. */
  sealed interface Command {}

  /**
   * Sets the member's neighbour; no reply.
   *
   * @param next the member the token goes to next
   */
  record Connect(ActorRef<Command> next) implements Command {}

  /**
   * The token; passed on while hops are left, else starts the exit; no reply.
   *
   * @param hopsLeft how many more times the token is to be passed on
   */
  record Token(int hopsLeft) implements Command {}

  /**
   * The exit message, passed once round the ring; no reply.
   *
   * @param origin the member that started it, which reports to the driver when it is back
   * @param hops the hops counted by the members it has visited so far
   */
  record Exit(int origin, long hops) implements Command {}

  private final int id;
  private final ActorRef<ThreadRing.Finished> driver;
  private ActorRef<Command> next;
  private long hops;

  private RingMember(ActorContext<Command> context, int id, ActorRef<ThreadRing.Finished> driver) {
    super(context);
    this.id = id;
    this.driver = driver;
  }

  /**
   * Creates a member that waits for its neighbour.
   *
   * @param id the member's position in the ring
   * @param driver told when the exit message has gone round
   * @return the behavior
   */
  static Behavior<Command> create(int id, ActorRef<ThreadRing.Finished> driver) {
    return Behaviors.setup(context -> new RingMember(context, id, driver));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Connect.class, this::onConnect)
        .onMessage(Token.class, this::onToken)
        .onMessage(Exit.class, this::onExit)
        .build();
  }

  private Behavior<Command> onConnect(Connect connect) {
    next = connect.next();
    return this;
  }

  private Behavior<Command> onToken(Token token) {
    if (next == null) {
      throw new IllegalStateException("ring member " + id + " got the token before its neighbour");
    }
    if (token.hopsLeft() > 0) {
      hops++;
      next.tell(new Token(token.hopsLeft() - 1));
    } else {
      next.tell(new Exit(id, hops));
    }
    return this;
  }

  private Behavior<Command> onExit(Exit exit) {
    if (exit.origin() == id) {
      driver.tell(new ThreadRing.Finished(exit.hops()));
    } else {
      next.tell(new Exit(exit.origin(), exit.hops() + hops));
    }
    return Behaviors.stopped();
  }
}
