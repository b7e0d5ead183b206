package io.troupe.actors;

import com.typesafe.config.Config;
import io.troupe.actors.internal.WorkerAnswers;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * The local runtime's settings, read once from {@code troupe.actors} (documented key by key in the
 * actors module's {@code reference.conf}).
 */
public final class TroupeSettings {

  /** Config path of the dispatcher for blocking work. */
  public static final String BLOCKING_DISPATCHER = "troupe.actors.blocking-dispatcher";

  private final int parallelism;
  private final int throughput;
  private final String taskPeekingMode;
  private final int internalParallelism;
  private final Backoff backoff;
  private final int maxInFlightPerWorker;
  private final int maxQueued;
  private final int maxAttempts;
  private final int stageBufferSize;

  private TroupeSettings(Config troupe, int cores) {
    this.parallelism = sizeOrAuto(troupe, "parallelism", cores);
    this.throughput = troupe.getInt("throughput");
    this.taskPeekingMode = troupe.getString("task-peeking-mode").toUpperCase(java.util.Locale.ROOT);
    Backoff.requireArgument(
        taskPeekingMode.equals("LIFO") || taskPeekingMode.equals("FIFO"),
        "troupe.actors.task-peeking-mode must be \"LIFO\" or \"FIFO\", was \"%s\"",
        troupe.getString("task-peeking-mode"));
    this.internalParallelism = sizeOrAuto(troupe, "internal-parallelism", Math.max(2, cores / 2));
    this.backoff = Backoff.fromConfig(troupe.getConfig("supervision"));
    this.maxInFlightPerWorker = troupe.getInt("pool.max-in-flight-per-worker");
    this.maxQueued = troupe.getInt("pool.max-queued");
    this.maxAttempts = troupe.getInt("pool.max-attempts");
    this.stageBufferSize = troupe.getInt("stage.buffer-size");
    // Read here so a bad value stops the node at start, not at its first pool.
    WorkerAnswers.Settings.read(troupe.getConfig("worker-answers"));
    Backoff.requireArgument(throughput >= 1, "troupe.actors.throughput must be >= 1");
    Backoff.requireArgument(
        maxInFlightPerWorker >= 1, "troupe.actors.pool.max-in-flight-per-worker must be >= 1");
    Backoff.requireArgument(maxQueued >= 0, "troupe.actors.pool.max-queued must be >= 0");
    Backoff.requireArgument(maxAttempts >= 1, "troupe.actors.pool.max-attempts must be >= 1");
    Backoff.requireArgument(stageBufferSize >= 1, "troupe.actors.stage.buffer-size must be >= 1");
  }

  /**
   * Reads the settings of a running system.
   *
   * @param system the actor system
   * @return the settings
   */
  public static TroupeSettings create(ActorSystem<?> system) {
    return create(system.settings().config());
  }

  /**
   * Reads the settings from a resolved config that contains {@code troupe.actors}.
   *
   * @param config the full config
   * @return the settings
   * @throws IllegalArgumentException if a value is out of range
   * @throws com.typesafe.config.ConfigException if a key is missing or has the wrong type
   */
  public static TroupeSettings create(Config config) {
    return new TroupeSettings(
        config.getConfig("troupe.actors"), Runtime.getRuntime().availableProcessors());
  }

  private static int sizeOrAuto(Config config, String key, int auto) {
    if ("auto".equals(config.getValue(key).unwrapped())) {
      return auto;
    }
    int value = config.getInt(key);
    Backoff.requireArgument(
        value >= 1, "troupe.actors.%s must be \"auto\" or >= 1, was %s", key, value);
    return value;
  }

  /** Returns the number of threads of the default dispatcher. */
  public int parallelism() {
    return parallelism;
  }

  /** Returns the messages an actor processes before yielding its thread. */
  public int throughput() {
    return throughput;
  }

  /** Returns the default dispatcher's task peeking mode, {@code LIFO} or {@code FIFO}. */
  public String taskPeekingMode() {
    return taskPeekingMode;
  }

  /** Returns the number of threads of Pekko's internal dispatcher. */
  public int internalParallelism() {
    return internalParallelism;
  }

  /** Returns the default restarts of {@link Supervision#restartWithBackoff} and pooled workers. */
  public Backoff backoff() {
    return backoff;
  }

  /** Returns the number of items a pooled worker may hold at once. */
  public int maxInFlightPerWorker() {
    return maxInFlightPerWorker;
  }

  /** Returns the number of items a {@link WorkerPool} queues beyond those held by workers. */
  public int maxQueued() {
    return maxQueued;
  }

  /** Returns the number of attempts per item before it is quarantined. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Returns the number of elements a {@link Stage} holds at most. */
  public int stageBufferSize() {
    return stageBufferSize;
  }

  /** Returns a selector for the dispatcher meant for blocking work. */
  public DispatcherSelector blockingDispatcher() {
    return DispatcherSelector.fromConfig(BLOCKING_DISPATCHER);
  }
}
