package io.troupe.bench.savina;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/** The counter of {@link Counting}: counts increments and reports the total on request. */
final class Counter extends AbstractBehavior<Counter.Command> {

  /** Messages the counter receives. */
  sealed interface Command {}

  /** Adds one to the count; no reply. */
  enum Increment implements Command {
    INSTANCE
  }

  /**
   * Asks for the count; replied to with {@link Total}.
   *
   * @param replyTo who gets the total
   */
  record Retrieve(ActorRef<Total> replyTo) implements Command {}

  /**
   * The number of increments received so far.
   *
   * @param count the count
   */
  record Total(long count) {}

  private long count;

  private Counter(ActorContext<Command> context) {
    super(context);
  }

  /** Creates a counter at zero. */
  static Behavior<Command> create() {
    return Behaviors.setup(Counter::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Increment.class, this::onIncrement)
        .onMessage(Retrieve.class, this::onRetrieve)
        .build();
  }

  private Behavior<Command> onIncrement(Increment increment) {
    count++;
    return this;
  }

  private Behavior<Command> onRetrieve(Retrieve retrieve) {
    retrieve.replyTo().tell(new Total(count));
    return this;
  }
}
