package io.troupe.actors;

import java.util.Iterator;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/** Producers for {@link StagePipeline}s, speaking the {@link Flow} protocol. */
public final class Sources {

  private Sources() {}

  /**
   * Returns a producer that emits the elements of an iterator, exactly as fast as downstream asks
   * for them, then completes.
   *
   * <p>The iterator is created when the producer starts and is only advanced against demand, so a
   * lazy iterator (lines of a file, generated data) is read no faster than the pipeline consumes
   * it. The producer answers {@link Stage.GetStats} with the number of elements produced.
   *
   * @param elements creates the iterator; called once, on the producer's thread
   * @param downstream the consumer
   * @param <T> the element type
   * @return the producer's behavior
   */
  public static <T> Behavior<Flow.Signal> fromIterator(
      Supplier<? extends Iterator<? extends T>> elements, ActorRef<Flow.Downstream<T>> downstream) {
    return fromIterator(elements, downstream, null);
  }

  /** Like the public factory, and sends the final count to {@code finished}, if not null. */
  static <T> Behavior<Flow.Signal> fromIterator(
      Supplier<? extends Iterator<? extends T>> elements,
      ActorRef<Flow.Downstream<T>> downstream,
      ActorRef<Stage.Finished> finished) {
    Objects.requireNonNull(elements, "elements");
    Objects.requireNonNull(downstream, "downstream");
    return Behaviors.setup(ctx -> new IteratorSource<T>(ctx, elements.get(), downstream, finished));
  }

  private static final class IteratorSource<T> extends AbstractBehavior<Flow.Signal> {
    private final Iterator<? extends T> iterator;
    private final ActorRef<Flow.Downstream<T>> downstream;
    private final ActorRef<Stage.Finished> finished;
    private long produced;

    IteratorSource(
        ActorContext<Flow.Signal> ctx,
        Iterator<? extends T> iterator,
        ActorRef<Flow.Downstream<T>> downstream,
        ActorRef<Stage.Finished> finished) {
      super(ctx);
      this.iterator = iterator;
      this.downstream = downstream;
      this.finished = finished;
      downstream.tell(new Flow.OnSubscribe<>(ctx.getSelf().narrow()));
    }

    @Override
    public Receive<Flow.Signal> createReceive() {
      return newReceiveBuilder()
          .onMessage(Flow.Request.class, this::onRequest)
          .onMessageEquals(Flow.Cancel.INSTANCE, Behaviors::stopped)
          .onMessage(Stage.GetStats.class, this::onGetStats)
          .build();
    }

    private Behavior<Flow.Signal> onRequest(Flow.Request request) {
      for (long i = 0; i < request.n() && iterator.hasNext(); i++) {
        downstream.tell(new Flow.OnNext<>(iterator.next()));
        produced++;
      }
      if (!iterator.hasNext()) {
        if (finished != null) {
          finished.tell(new Stage.Finished(stats()));
        }
        downstream.tell(new Flow.OnComplete<>());
        return Behaviors.stopped();
      }
      return this;
    }

    private Behavior<Flow.Signal> onGetStats(Stage.GetStats get) {
      get.replyTo().tell(stats());
      return this;
    }

    private StageStats stats() {
      return new StageStats("source", produced, produced, 0, 0, 0, 0, 0);
    }
  }
}
