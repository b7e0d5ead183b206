package io.troupe.bench.savina;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/** The ponger of {@link PingPong}: answers every ping with a pong carrying the same number. */
final class Ponger extends AbstractBehavior<Ponger.Command> {

  /** Messages the ponger receives. */
  sealed interface Command {}

  /**
   * Ping number {@code seq}; replied to with {@link PingPong.Pong}.
   *
   * @param seq the ping's number
   * @param replyTo the pinger
   */
  record Ping(int seq, ActorRef<PingPong.Pong> replyTo) implements Command {}

  private Ponger(ActorContext<Command> context) {
    super(context);
  }

  /** Creates a ponger. */
  static Behavior<Command> create() {
    return Behaviors.setup(Ponger::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Ping.class, this::onPing).build();
  }

  private Behavior<Command> onPing(Ping ping) {
    ping.replyTo().tell(new PingPong.Pong(ping.seq()));
    return this;
  }
}
