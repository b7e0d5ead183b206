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
 * Savina Big: every {@link BigWorker} pings random peers, one ping at a time, and answers the pings
 * it gets with pongs; this actor, the sink, learns when each worker has had its last pong, then
 * tells all workers to exit and collects their counts.
 *
 * <p>Result: the total number of pongs received, checked against the total number of pings
 * answered. The sink drives the run: it spawns the workers, times from the first start message to
 * the last worker's exit report, and stops.
 */
public final class Big extends AbstractBehavior<Big.Command> {

  /** Messages the sink receives. */
  public sealed interface Command {}

  /** A worker received the pong to its last ping; no reply. */
  public enum Done implements Command {
    INSTANCE
  }

  /**
   * A worker's final counts, sent as it stops; no reply.
   *
   * @param pingsAnswered the pings it answered with a pong
   * @param pongsReceived the pongs it received
   */
  public record Exited(long pingsAnswered, long pongsReceived) implements Command {}

  private final CompletableFuture<Measurement> result;
  private final List<ActorRef<BigWorker.Command>> workers;
  private final long start;
  private int done;
  private int exited;
  private long pingsAnswered;
  private long pongsReceived;

  private Big(
      ActorContext<Command> context,
      int workerCount,
      int pings,
      CompletableFuture<Measurement> result) {
    super(context);
    this.result = result;
    List<ActorRef<BigWorker.Command>> spawned = new ArrayList<>(workerCount);
    for (int i = 0; i < workerCount; i++) {
      spawned.add(context.spawn(BigWorker.create(i, pings, context.getSelf()), "worker-" + i));
    }
    this.workers = List.copyOf(spawned);
    BigWorker.Start startMessage = new BigWorker.Start(workers);
    this.start = System.nanoTime();
    for (ActorRef<BigWorker.Command> worker : workers) {
      worker.tell(startMessage);
    }
  }

  /**
   * Describes Big at the given size; it has no JDK baseline.
   *
   * @param workers the number of workers, at least 2
   * @param pings the number of pings each worker sends, at least 1
   * @return the workload
   * @throws IllegalArgumentException if a size is out of range
   */
  public static Workload workload(int workers, int pings) {
    Sizes.requireAtLeast(2, workers, "workers");
    Sizes.requireAtLeast(1, pings, "pings");
    return new Workload(
        "Big",
        String.format(
            Locale.ROOT,
            "%d actors each send %,d pings to random peers, one at a time, and answer pongs;"
                + " a sink detects when all are done",
            workers,
            pings),
        (long) workers * pings,
        result -> create(workers, pings, result),
        Optional.empty());
  }

  /**
   * Creates the sink, which spawns the workers and runs the workload as soon as it starts.
   *
   * @param workers the number of workers
   * @param pings the number of pings each worker sends
   * @param result completed with the total number of pongs and the elapsed time
   * @return the behavior
   */
  public static Behavior<Command> create(
      int workers, int pings, CompletableFuture<Measurement> result) {
    return Behaviors.setup(context -> new Big(context, workers, pings, result));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Done.class, this::onDone)
        .onMessage(Exited.class, this::onExited)
        .build();
  }

  private Behavior<Command> onDone(Done message) {
    done++;
    if (done == workers.size()) {
      for (ActorRef<BigWorker.Command> worker : workers) {
        worker.tell(BigWorker.Exit.INSTANCE);
      }
    }
    return this;
  }

  private Behavior<Command> onExited(Exited message) {
    exited++;
    pingsAnswered += message.pingsAnswered();
    pongsReceived += message.pongsReceived();
    if (exited < workers.size()) {
      return this;
    }
    if (pingsAnswered != pongsReceived) {
      throw new IllegalStateException(
          pingsAnswered + " pings were answered but " + pongsReceived + " pongs arrived");
    }
    result.complete(Measurement.since(start, pongsReceived));
    return Behaviors.stopped();
  }
}
