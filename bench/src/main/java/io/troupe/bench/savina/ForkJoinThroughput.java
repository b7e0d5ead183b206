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
 * Savina fork-join throughput ("fjthrput"): this actor sends every {@link ThroughputWorker} the
 * same number of messages, round-robin; each message costs the worker a small fixed computation.
 *
 * <p>Result: the number of messages processed. Each worker also reports the sum of its
 * computations, which must equal the sequential reference exactly (the computation uses only
 * correctly rounded operations, so it is deterministic); the sum leaving the worker is what keeps
 * the JIT from removing the computation. This actor drives the run: it times from the first send to
 * the last worker's report, and stops.
 */
public final class ForkJoinThroughput extends AbstractBehavior<ForkJoinThroughput.Command> {

  /** Messages the driver receives. */
  public sealed interface Command {}

  /**
   * A worker processed all its messages, and stops; no reply.
   *
   * @param processed the number of messages it processed
   * @param checksum the sum of its computations
   */
  public record Done(long processed, double checksum) implements Command {}

  private final CompletableFuture<Measurement> result;
  private final int workers;
  private final double expectedChecksum;
  private final long start;
  private int done;
  private long processed;

  private ForkJoinThroughput(
      ActorContext<Command> context,
      int workers,
      int messages,
      CompletableFuture<Measurement> result) {
    super(context);
    this.result = result;
    this.workers = workers;
    this.expectedChecksum = ThroughputWorker.checksum(messages);
    List<ActorRef<ThroughputWorker.Command>> spawned = new ArrayList<>(workers);
    ActorRef<Done> self = context.getSelf().narrow();
    for (int i = 0; i < workers; i++) {
      spawned.add(context.spawn(ThroughputWorker.create(messages, self), "worker-" + i));
    }
    this.start = System.nanoTime();
    for (int m = 0; m < messages; m++) {
      for (ActorRef<ThroughputWorker.Command> worker : spawned) {
        worker.tell(ThroughputWorker.Compute.INSTANCE);
      }
    }
  }

  /**
   * Describes fork-join throughput at the given size, with its JDK baseline.
   *
   * @param workers the number of workers, at least 1
   * @param messages the number of messages each worker receives, at least 1
   * @return the workload
   * @throws IllegalArgumentException if a size is out of range
   */
  public static Workload workload(int workers, int messages) {
    Sizes.requireAtLeast(1, workers, "workers");
    Sizes.requireAtLeast(1, messages, "messages");
    return new Workload(
        "ForkJoinThroughput",
        String.format(
            Locale.ROOT,
            "%d actors each receive %,d messages sent round-robin by one sender; each message"
                + " costs two square roots and a division",
            workers,
            messages),
        (long) workers * messages,
        result -> create(workers, messages, result),
        Optional.of(
            new JdkBaseline(
                "`Executors.newFixedThreadPool` (1 thread per core), one task per message",
                pools -> JdkBaselines.forkJoinThroughput(pools, workers, messages))));
  }

  /**
   * Creates the driver, which spawns the workers and runs the workload as soon as it starts.
   *
   * @param workers the number of workers
   * @param messages the number of messages each worker receives
   * @param result completed with the number of messages processed and the elapsed time
   * @return the behavior
   */
  public static Behavior<Command> create(
      int workers, int messages, CompletableFuture<Measurement> result) {
    return Behaviors.setup(context -> new ForkJoinThroughput(context, workers, messages, result));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder().onMessage(Done.class, this::onDone).build();
  }

  private Behavior<Command> onDone(Done message) {
    if (Double.compare(message.checksum(), expectedChecksum) != 0) {
      throw new IllegalStateException(
          "a worker's checksum is " + message.checksum() + ", expected " + expectedChecksum);
    }
    processed += message.processed();
    done++;
    if (done < workers) {
      return this;
    }
    result.complete(Measurement.since(start, processed));
    return Behaviors.stopped();
  }
}
