package io.troupe.actors;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/** Consumers for {@link StagePipeline}s, speaking the {@link Flow} protocol. */
public final class Sinks {

  /** Elements a sink asks for at a time. */
  static final int BATCH = 64;

  private Sinks() {}

  /**
   * Returns a consumer that folds every element into an accumulator and, when the stream completes,
   * sends the result and stops.
   *
   * @param zero the initial accumulator
   * @param step combines the accumulator with one element; called on the sink's thread
   * @param replyTo receives the final accumulator
   * @param <T> the element type
   * @param <R> the accumulator type
   * @return the consumer's behavior
   */
  public static <T, R> Behavior<Flow.Signal> fold(
      R zero, BiFunction<R, ? super T, R> step, ActorRef<R> replyTo) {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(replyTo, "replyTo");
    return Behaviors.setup(ctx -> new FoldSink<T, R>(ctx, zero, step, replyTo));
  }

  /**
   * Returns a consumer that collects every element into a list and sends it when the stream
   * completes.
   *
   * @param replyTo receives the list
   * @param <T> the element type
   * @return the consumer's behavior
   */
  public static <T> Behavior<Flow.Signal> collect(ActorRef<List<T>> replyTo) {
    BiFunction<List<T>, T, List<T>> add =
        (list, element) -> {
          list.add(element);
          return list;
        };
    return Sinks.<T, List<T>>fold(new ArrayList<>(), add, replyTo);
  }

  private static final class FoldSink<T, R> extends AbstractBehavior<Flow.Signal> {
    private final BiFunction<R, ? super T, R> step;
    private final ActorRef<R> replyTo;
    private R accumulator;
    private ActorRef<Flow.Upstream> upstream;
    private int sinceRequest;

    FoldSink(
        ActorContext<Flow.Signal> ctx,
        R zero,
        BiFunction<R, ? super T, R> step,
        ActorRef<R> replyTo) {
      super(ctx);
      this.accumulator = zero;
      this.step = step;
      this.replyTo = replyTo;
    }

    @Override
    public Receive<Flow.Signal> createReceive() {
      return newReceiveBuilder()
          .onMessage(Flow.OnSubscribe.class, this::onSubscribe)
          .onMessage(Flow.OnNext.class, this::onNext)
          .onMessage(Flow.OnComplete.class, c -> onComplete())
          .build();
    }

    private Behavior<Flow.Signal> onSubscribe(Flow.OnSubscribe<?> subscribe) {
      upstream = subscribe.producer();
      upstream.tell(new Flow.Request(BATCH));
      return this;
    }

    @SuppressWarnings("unchecked") // the pipeline builder types producer and sink alike
    private Behavior<Flow.Signal> onNext(Flow.OnNext<?> next) {
      accumulator = step.apply(accumulator, (T) next.element());
      if (++sinceRequest == BATCH / 2) {
        sinceRequest = 0;
        upstream.tell(new Flow.Request(BATCH / 2));
      }
      return this;
    }

    private Behavior<Flow.Signal> onComplete() {
      replyTo.tell(accumulator);
      return Behaviors.stopped();
    }
  }
}
