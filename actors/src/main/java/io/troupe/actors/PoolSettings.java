package io.troupe.actors;

import java.util.Objects;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * How a {@link WorkerPool} or {@link Stage} runs its workers.
 *
 * @param workers number of workers; at least 1
 * @param maxInFlightPerWorker items one worker may hold at once; at least 1
 * @param maxQueued items a {@link WorkerPool} queues beyond those held by workers (a {@link Stage}
 *     uses {@code bufferSize} instead); at least 0
 * @param bufferSize elements a {@link Stage} holds at most; at least 1
 * @param maxAttempts attempts per item before it is quarantined; at least 1
 * @param backoff how each worker is restarted after a failure: immediate restarts, delays, limit
 */
public record PoolSettings(
    int workers,
    int maxInFlightPerWorker,
    int maxQueued,
    int bufferSize,
    int maxAttempts,
    Backoff backoff) {

  /**
   * Validates the arguments.
   *
   * @throws IllegalArgumentException if a value is out of range
   */
  public PoolSettings {
    Backoff.requireArgument(workers >= 1, "workers must be >= 1, was %s", workers);
    Backoff.requireArgument(
        maxInFlightPerWorker >= 1,
        "maxInFlightPerWorker must be >= 1, was %s",
        maxInFlightPerWorker);
    Backoff.requireArgument(maxQueued >= 0, "maxQueued must be >= 0, was %s", maxQueued);
    Backoff.requireArgument(bufferSize >= 1, "bufferSize must be >= 1, was %s", bufferSize);
    Backoff.requireArgument(maxAttempts >= 1, "maxAttempts must be >= 1, was %s", maxAttempts);
    Objects.requireNonNull(backoff, "backoff");
  }

  /**
   * Returns the defaults from {@code troupe.actors} for the given number of workers.
   *
   * @param system the actor system whose config to read
   * @param workers number of workers; at least 1
   * @return the settings
   */
  public static PoolSettings create(ActorSystem<?> system, int workers) {
    return create(TroupeSettings.create(system), workers);
  }

  /**
   * Returns the defaults from the given settings for the given number of workers.
   *
   * @param settings Troupe's settings
   * @param workers number of workers; at least 1
   * @return the settings
   */
  public static PoolSettings create(TroupeSettings settings, int workers) {
    return new PoolSettings(
        workers,
        settings.maxInFlightPerWorker(),
        settings.maxQueued(),
        settings.stageBufferSize(),
        settings.maxAttempts(),
        settings.backoff());
  }

  /** Returns a copy with another number of workers. */
  public PoolSettings withWorkers(int n) {
    return new PoolSettings(n, maxInFlightPerWorker, maxQueued, bufferSize, maxAttempts, backoff);
  }

  /** Returns a copy with another number of items per worker. */
  public PoolSettings withMaxInFlightPerWorker(int n) {
    return new PoolSettings(workers, n, maxQueued, bufferSize, maxAttempts, backoff);
  }

  /** Returns a copy with another queue bound. */
  public PoolSettings withMaxQueued(int n) {
    return new PoolSettings(workers, maxInFlightPerWorker, n, bufferSize, maxAttempts, backoff);
  }

  /** Returns a copy with another stage buffer size. */
  public PoolSettings withBufferSize(int n) {
    return new PoolSettings(workers, maxInFlightPerWorker, maxQueued, n, maxAttempts, backoff);
  }

  /** Returns a copy with another number of attempts per item. */
  public PoolSettings withMaxAttempts(int n) {
    return new PoolSettings(workers, maxInFlightPerWorker, maxQueued, bufferSize, n, backoff);
  }

  /** Returns a copy with another restart backoff. */
  public PoolSettings withBackoff(Backoff b) {
    return new PoolSettings(workers, maxInFlightPerWorker, maxQueued, bufferSize, maxAttempts, b);
  }
}
