package io.troupe.bench;

import com.typesafe.config.Config;
import java.util.Locale;

/** Describes a config's default dispatcher the way Pekko will build it, for the report header. */
public final class DispatcherInfo {

  private DispatcherInfo() {}

  /**
   * Describes the default dispatcher of a full, resolved config.
   *
   * @param config the config an actor system is started with
   * @param cores the number of available processors the pool sizes scale with
   * @return for example "fork-join-executor, 2 threads, throughput 100"
   */
  public static String describe(Config config, int cores) {
    Config dispatcher = config.getConfig("pekko.actor.default-dispatcher");
    String executor = dispatcher.getString("executor");
    if ("default-executor".equals(executor)) {
      executor = dispatcher.getString("default-executor.fallback");
    }
    String threads =
        switch (executor) {
          case "fork-join-executor" -> {
            Config pool = dispatcher.getConfig("fork-join-executor");
            String peeking = pool.getString("task-peeking-mode");
            yield scaled(pool, "parallelism", cores)
                + " threads"
                + ("FIFO".equals(peeking) ? "" : ", " + peeking + " task peeking");
          }
          case "affinity-pool-executor" ->
              scaled(dispatcher.getConfig("affinity-pool-executor"), "parallelism", cores)
                  + " threads";
          case "thread-pool-executor" -> {
            Config pool = dispatcher.getConfig("thread-pool-executor");
            yield "off".equals(pool.getString("fixed-pool-size"))
                ? scaled(pool, "core-pool-size", cores) + " core threads"
                : pool.getInt("fixed-pool-size") + " threads";
          }
          case "virtual-thread-executor" -> "virtual threads";
          default -> "custom executor";
        };
    return String.format(
        Locale.ROOT, "%s, %s, throughput %d", executor, threads, dispatcher.getInt("throughput"));
  }

  /** Pekko's pool sizing: {@code ceil(cores × factor)} clamped to {@code [min, max]}. */
  private static int scaled(Config pool, String prefix, int cores) {
    int min = pool.getInt(prefix + "-min");
    double factor = pool.getDouble(prefix + "-factor");
    int max = pool.getInt(prefix + "-max");
    return Math.min(Math.max((int) Math.ceil(cores * factor), min), max);
  }
}
