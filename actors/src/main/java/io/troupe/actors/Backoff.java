package io.troupe.actors;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How a failed actor is restarted: at once for its first few failures in a row (pooled workers
 * only), then after an exponentially growing delay, and not at all beyond a limit.
 *
 * <p>The n-th restart with backoff waits {@code min(maxBackoff, minBackoff * 2^n)} plus up to
 * {@code randomFactor} of jitter; after {@code maxRestarts} of them the actor is stopped.
 *
 * <p>For a pooled worker ({@link Workers#supervised}: {@link WorkerPool}, {@link Stage}, job
 * workers) a failure is one message, usually one item, whose handler threw. The item fails on its
 * own (the pool retries or quarantines it) and the first {@code immediateRestarts} failures in a
 * row restart the worker at once, with fresh state; only the next failure in a row, the sign of a
 * broken resource rather than of a bad item, restarts it with the delay above, and only such
 * restarts count towards {@code maxRestarts}. A message handled without an exception resets the
 * counts and the delay; an item failing on a retry ({@link Work#attempt()} above 1) does not add to
 * the count, since it has failed before. {@link Supervision}'s decorators ignore {@code
 * immediateRestarts}: a plain actor is restarted with backoff on every failure, by Pekko's backoff
 * strategy.
 *
 * @param minBackoff delay before the first restart with backoff; positive
 * @param maxBackoff upper bound of the delay; at least {@code minBackoff}
 * @param randomFactor jitter as a fraction of the delay, in {@code [0, 1]}
 * @param maxRestarts restarts with backoff allowed before the actor stops, or {@code -1} for no
 *     limit
 * @param immediateRestarts how many failures in a row restart a pooled worker at once, before its
 *     restarts back off; at least 0 ({@code 0}: every failure backs off)
 */
public record Backoff(
    Duration minBackoff,
    Duration maxBackoff,
    double randomFactor,
    int maxRestarts,
    int immediateRestarts) {

  /**
   * Validates the arguments.
   *
   * @throws IllegalArgumentException if a value is out of range
   */
  public Backoff {
    requireArgument(
        !minBackoff.isNegative() && !minBackoff.isZero(),
        "min-backoff must be positive, was %s",
        minBackoff);
    requireArgument(
        maxBackoff.compareTo(minBackoff) >= 0,
        "max-backoff (%s) must be at least min-backoff (%s)",
        maxBackoff,
        minBackoff);
    requireArgument(
        randomFactor >= 0.0 && randomFactor <= 1.0,
        "random-factor must be in [0, 1], was %s",
        randomFactor);
    requireArgument(
        maxRestarts >= -1, "max-restarts must be -1 (no limit) or >= 0, was %s", maxRestarts);
    requireArgument(
        immediateRestarts >= 0, "immediate-restarts must be >= 0, was %s", immediateRestarts);
  }

  /**
   * Creates a backoff that delays every restart, as Backoff did before {@code immediateRestarts}.
   *
   * @param minBackoff delay before the first restart; positive
   * @param maxBackoff upper bound of the delay; at least {@code minBackoff}
   * @param randomFactor jitter as a fraction of the delay, in {@code [0, 1]}
   * @param maxRestarts restarts allowed before the actor stops, or {@code -1} for no limit
   * @throws IllegalArgumentException if a value is out of range
   */
  public Backoff(Duration minBackoff, Duration maxBackoff, double randomFactor, int maxRestarts) {
    this(minBackoff, maxBackoff, randomFactor, maxRestarts, 0);
  }

  /**
   * Reads a backoff from a config section with the keys {@code min-backoff}, {@code max-backoff},
   * {@code random-factor}, {@code max-restarts} and {@code immediate-restarts} (see {@code
   * troupe.actors.supervision}); a section without {@code immediate-restarts} backs off on every
   * failure, as such sections did before the key existed.
   *
   * @param section the config section
   * @return the backoff
   * @throws IllegalArgumentException if a value is out of range
   * @throws com.typesafe.config.ConfigException if another key is missing or has the wrong type
   */
  public static Backoff fromConfig(Config section) {
    return new Backoff(
        section.getDuration("min-backoff"),
        section.getDuration("max-backoff"),
        section.getDouble("random-factor"),
        section.getInt("max-restarts"),
        section.hasPath("immediate-restarts") ? section.getInt("immediate-restarts") : 0);
  }

  /**
   * Returns a copy with another restart limit.
   *
   * @param restarts restarts allowed before the actor stops, or {@code -1} for no limit
   * @return the new backoff
   */
  public Backoff withMaxRestarts(int restarts) {
    return new Backoff(minBackoff, maxBackoff, randomFactor, restarts, immediateRestarts);
  }

  /**
   * Returns a copy with another number of immediate restarts.
   *
   * @param restarts failures in a row after which a pooled worker is still restarted at once;
   *     {@code 0} backs off on every failure
   * @return the new backoff
   */
  public Backoff withImmediateRestarts(int restarts) {
    return new Backoff(minBackoff, maxBackoff, randomFactor, maxRestarts, restarts);
  }

  static void requireArgument(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }
}
