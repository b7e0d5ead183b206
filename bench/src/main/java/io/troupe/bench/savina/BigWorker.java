package io.troupe.bench.savina;

import java.util.List;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A worker of {@link Big}: sends its pings to peers chosen at random (never itself), the next one
 * only after the pong to the previous one, and answers every ping it gets.
 *
 * <p>Each worker seeds its own random generator with its id, so a run's traffic pattern is the same
 * on every configuration.
 */
final class BigWorker extends AbstractBehavior<BigWorker.Command> {

  /** Messages a worker receives. */
  sealed interface Command {}

  /**
   * Starts pinging; no reply.
   *
   * @param peers all workers of the run, indexed by id, this one included
   */
  record Start(List<ActorRef<Command>> peers) implements Command {}

  /**
   * A peer's ping; replied to with {@link Pong}.
   *
   * @param replyTo the pinging worker
   */
  record Ping(ActorRef<Command> replyTo) implements Command {}

  /** The answer to this worker's outstanding ping; no reply. */
  enum Pong implements Command {
    INSTANCE
  }

  /** Reports the counts to the sink with {@link Big.Exited} and stops. */
  enum Exit implements Command {
    INSTANCE
  }

  private final int id;
  private final int pings;
  private final ActorRef<Big.Command> sink;
  private final SplittableRandom random;
  private final ActorRef<Command> self;
  private List<ActorRef<Command>> peers = List.of();
  private long pingsAnswered;
  private long pongsReceived;

  private BigWorker(ActorContext<Command> context, int id, int pings, ActorRef<Big.Command> sink) {
    super(context);
    this.id = id;
    this.pings = pings;
    this.sink = sink;
    this.random = new SplittableRandom(id);
    this.self = context.getSelf();
  }

  /**
   * Creates a worker that waits for {@link Start}.
   *
   * @param id the worker's index among its peers
   * @param pings the number of pings it sends
   * @param sink told when its last pong has arrived, and of its counts on exit
   * @return the behavior
   */
  static Behavior<Command> create(int id, int pings, ActorRef<Big.Command> sink) {
    return Behaviors.setup(context -> new BigWorker(context, id, pings, sink));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, this::onStart)
        .onMessage(Ping.class, this::onPing)
        .onMessage(Pong.class, this::onPong)
        .onMessage(Exit.class, this::onExit)
        .build();
  }

  private Behavior<Command> onStart(Start start) {
    peers = start.peers();
    sendPing();
    return this;
  }

  private Behavior<Command> onPing(Ping ping) {
    pingsAnswered++;
    ping.replyTo().tell(Pong.INSTANCE);
    return this;
  }

  private Behavior<Command> onPong(Pong pong) {
    pongsReceived++;
    if (pongsReceived < pings) {
      sendPing();
    } else if (pongsReceived == pings) {
      sink.tell(Big.Done.INSTANCE);
    } else {
      throw new IllegalStateException("worker " + id + " got more pongs than it sent pings");
    }
    return this;
  }

  private Behavior<Command> onExit(Exit exit) {
    sink.tell(new Big.Exited(pingsAnswered, pongsReceived));
    return Behaviors.stopped();
  }

  private void sendPing() {
    int peer = random.nextInt(peers.size() - 1);
    if (peer >= id) {
      peer++;
    }
    peers.get(peer).tell(new Ping(self));
  }
}
