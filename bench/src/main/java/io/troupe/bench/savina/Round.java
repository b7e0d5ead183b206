package io.troupe.bench.savina;

import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Parent of one run of a workload: spawns and watches the driver, and reports once the driver and
 * every actor below it have stopped.
 *
 * <p>Pekko delivers {@link Terminated} only after the watched actor's children have stopped, so
 * completing {@code stopped} there means the workload left nothing running behind it.
 */
final class Round extends AbstractBehavior<Void> {

  private final CompletableFuture<Measurement> result;
  private final CompletableFuture<Void> stopped;

  private Round(
      ActorContext<Void> context,
      Behavior<?> driver,
      CompletableFuture<Measurement> result,
      CompletableFuture<Void> stopped) {
    super(context);
    this.result = result;
    this.stopped = stopped;
    context.watch(context.spawn(driver, "driver"));
  }

  /**
   * Creates a round around a workload driver.
   *
   * @param driver the driver, which completes {@code result} and stops
   * @param result failed here if the driver stops without completing it
   * @param stopped completed once the driver and all its descendants have stopped
   * @return the behavior
   */
  static Behavior<Void> create(
      Behavior<?> driver, CompletableFuture<Measurement> result, CompletableFuture<Void> stopped) {
    return Behaviors.setup(context -> new Round(context, driver, result, stopped));
  }

  @Override
  public Receive<Void> createReceive() {
    return newReceiveBuilder()
        .onSignal(ChildFailed.class, this::onChildFailed)
        .onSignal(Terminated.class, this::onTerminated)
        .build();
  }

  private Behavior<Void> onChildFailed(ChildFailed failed) {
    result.completeExceptionally(failed.getCause());
    return onTerminated(failed);
  }

  private Behavior<Void> onTerminated(Terminated terminated) {
    result.completeExceptionally(new IllegalStateException("the driver stopped without a result"));
    stopped.complete(null);
    return Behaviors.stopped();
  }
}
