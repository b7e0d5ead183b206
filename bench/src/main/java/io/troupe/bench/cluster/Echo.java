package io.troupe.bench.cluster;

import io.troupe.sdk.TroupeMessage;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The sharded entity of the cluster benchmark: it says where it lives, answers pings, and
 * acknowledges floods in batches. Its messages are Troupe messages, so across nodes they go through
 * the same Jackson CBOR serialization as jobs' messages.
 */
public final class Echo {

  /** The entity type. */
  public static final EntityTypeKey<Command> KEY = EntityTypeKey.create(Command.class, "BenchEcho");

  /** Floods are acknowledged once per this many messages. */
  public static final int ACK_EVERY = 16;

  private Echo() {}

  /** What an echo entity receives. */
  public sealed interface Command extends TroupeMessage {}

  /**
   * Asks the entity for its node.
   *
   * @param replyTo receives a {@link Here}
   */
  public record Where(ActorRef<Here> replyTo) implements Command {}

  /**
   * Where an entity lives.
   *
   * @param entity the entity's id
   * @param node the address of its node
   */
  public record Here(String entity, String node) implements TroupeMessage {}

  /**
   * A round trip: answered at once with a {@link Pong} of the same sequence number.
   *
   * @param seq the sequence number
   * @param replyTo receives the answer
   */
  public record Ping(long seq, ActorRef<Pong> replyTo) implements Command {}

  /**
   * The answer to a {@link Ping}.
   *
   * @param seq the ping's sequence number
   */
  public record Pong(long seq) implements TroupeMessage {}

  /**
   * Starts a flood: the acknowledgements of the {@link Flood} messages that follow go to {@code
   * ackTo}, so that each flood message need not carry (and serialize) an actor reference.
   *
   * @param ackTo receives the acknowledgements
   */
  public record StartFlood(ActorRef<Ack> ackTo) implements Command {}

  /**
   * One message of a one-way flood; every {@link #ACK_EVERY}th is acknowledged.
   *
   * @param seq the sender's sequence number
   */
  public record Flood(long seq) implements Command {}

  /**
   * Acknowledges flood messages received.
   *
   * @param count how many
   */
  public record Ack(int count) implements TroupeMessage {}

  /**
   * Creates an entity.
   *
   * @param entity its id
   * @param node its node's address
   * @return the behavior
   */
  public static Behavior<Command> create(String entity, String node) {
    int[] floods = {0};
    List<ActorRef<Ack>> ackTo = new ArrayList<>(1);
    return Behaviors.receiveMessage(
        command -> {
          if (command instanceof Flood) {
            if (++floods[0] == ACK_EVERY) {
              floods[0] = 0;
              ackTo.get(0).tell(new Ack(ACK_EVERY));
            }
          } else if (command instanceof StartFlood start) {
            floods[0] = 0;
            ackTo.clear();
            ackTo.add(start.ackTo());
          } else if (command instanceof Ping p) {
            p.replyTo().tell(new Pong(p.seq()));
          } else if (command instanceof Where w) {
            w.replyTo().tell(new Here(entity, node));
          }
          return Behaviors.same();
        });
  }
}
