package io.troupe.actors;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * The demand-based protocol that connects the producers, {@link Stage}s and consumers of a {@link
 * StagePipeline}.
 *
 * <p>A producer announces itself to its consumer with {@link OnSubscribe}; the consumer asks for
 * elements with {@link Request}; the producer sends at most as many {@link OnNext} as were
 * requested, then {@link OnComplete}. Because nothing is ever sent without demand, a slow consumer
 * holds its producer back instead of letting its mailbox grow: this is backpressure with actors.
 * You implement the protocol yourself only for a custom source or sink; {@link Sources}, {@link
 * Sinks} and {@link Stage} speak it already.
 */
public final class Flow {

  private Flow() {}

  /** Everything a flow participant may receive; a stage receives both directions. */
  public interface Signal {}

  /**
   * Signals a consumer receives from its producer.
   *
   * @param <T> the element type
   */
  public sealed interface Downstream<T> extends Signal {}

  /**
   * The producer is ready; the consumer answers with {@link Request}s to it.
   *
   * @param producer where to send demand
   * @param <T> the element type
   */
  public record OnSubscribe<T>(ActorRef<Upstream> producer) implements Downstream<T> {}

  /**
   * One element, sent only against demand.
   *
   * @param element the element
   * @param <T> the element type
   */
  public record OnNext<T>(T element) implements Downstream<T> {}

  /**
   * No more elements will follow.
   *
   * @param <T> the element type
   */
  public record OnComplete<T>() implements Downstream<T> {}

  /** Signals a producer receives from its consumer. */
  public sealed interface Upstream extends Signal {}

  /**
   * Demand for {@code n} more elements; demand adds up.
   *
   * @param n how many more elements the consumer accepts; positive
   */
  public record Request(long n) implements Upstream {
    /**
     * Validates the demand.
     *
     * @throws IllegalArgumentException if {@code n} is not positive
     */
    public Request {
      Backoff.requireArgument(n > 0, "demand must be positive, was %s", n);
    }
  }

  /** The consumer wants no more elements; the producer stops. */
  public enum Cancel implements Upstream {
    /** The single instance. */
    INSTANCE
  }
}
