package io.troupe.bench.savina;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A worker of {@link ForkJoinThroughput}: does {@link #compute(int)} for each message, adds up the
 * results and reports when it has processed its share.
 */
final class ThroughputWorker extends AbstractBehavior<ThroughputWorker.Command> {

  /** Messages a worker receives. */
  sealed interface Command {}

  /** Do one unit of work; after the last one the worker reports {@link ForkJoinThroughput.Done}. */
  enum Compute implements Command {
    INSTANCE
  }

  private final int messages;
  private final ActorRef<ForkJoinThroughput.Done> driver;
  private int processed;
  private double checksum;

  private ThroughputWorker(
      ActorContext<Command> context, int messages, ActorRef<ForkJoinThroughput.Done> driver) {
    super(context);
    this.messages = messages;
    this.driver = driver;
  }

  /**
   * Creates a worker.
   *
   * @param messages the number of messages it receives before it reports and stops
   * @param driver who gets the report
   * @return the behavior
   */
  static Behavior<Command> create(int messages, ActorRef<ForkJoinThroughput.Done> driver) {
    return Behaviors.setup(context -> new ThroughputWorker(context, messages, driver));
  }

  /**
   * The work done for the {@code k}-th message: two square roots and a division, all correctly
   * rounded, so the result is the same on every thread and every JIT tier.
   */
  static double compute(int k) {
    double x = k + 1.5;
    double root = Math.sqrt(x);
    return Math.sqrt(root * x + 1.0) / (root + 0.25);
  }

  /** Returns the sum of {@link #compute(int)} for {@code k} from 0 to {@code messages - 1}. */
  static double checksum(int messages) {
    double sum = 0;
    for (int k = 0; k < messages; k++) {
      sum += compute(k);
    }
    return sum;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Compute.class, this::onCompute).build();
  }

  private Behavior<Command> onCompute(Compute compute) {
    checksum += compute(processed);
    processed++;
    if (processed < messages) {
      return this;
    }
    driver.tell(new ForkJoinThroughput.Done(processed, checksum));
    return Behaviors.stopped();
  }
}
