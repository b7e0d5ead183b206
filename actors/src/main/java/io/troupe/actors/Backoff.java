package io.troupe.actors;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Exponential backoff between restarts of a failed actor.
 *
 * <p>The n-th restart waits {@code min(maxBackoff, minBackoff * 2^n)} plus up to {@code
 * randomFactor} of jitter; after {@code maxRestarts} restarts the actor is stopped.
 *
 * @param minBackoff delay before the first restart; positive
 * @param maxBackoff upper bound of the delay; at least {@code minBackoff}
 * @param randomFactor jitter as a fraction of the delay, in {@code [0, 1]}
 * @param maxRestarts restarts allowed before the actor stops, or {@code -1} for no limit
 */
public record Backoff(
    Duration minBackoff, Duration maxBackoff, double randomFactor, int maxRestarts) {

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
  }

  /**
   * Reads a backoff from a config section with the keys {@code min-backoff}, {@code max-backoff},
   * {@code random-factor} and {@code max-restarts} (see {@code troupe.actors.supervision}).
   *
   * @param section the config section
   * @return the backoff
   * @throws IllegalArgumentException if a value is out of range
   */
  public static Backoff fromConfig(Config section) {
    return new Backoff(
        section.getDuration("min-backoff"),
        section.getDuration("max-backoff"),
        section.getDouble("random-factor"),
        section.getInt("max-restarts"));
  }

  /**
   * Returns a copy with another restart limit.
   *
   * @param restarts restarts allowed before the actor stops, or {@code -1} for no limit
   * @return the new backoff
   */
  public Backoff withMaxRestarts(int restarts) {
    return new Backoff(minBackoff, maxBackoff, randomFactor, restarts);
  }

  static void requireArgument(boolean condition, String message, Object... args) {
    if (!condition) {
      throw new IllegalArgumentException(String.format(message, args));
    }
  }
}
