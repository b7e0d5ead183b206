package io.troupe.cluster.metrics;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code troupe.metrics} settings.
 *
 * @param enabled whether meters are recorded and {@code /metrics} answers
 * @param sampleInterval how often sampled gauges (shards, entities, dispatcher use) are refreshed
 * @param keepFinishedJobs how many finished jobs keep their series on a node
 */
public record MetricsSettings(boolean enabled, Duration sampleInterval, int keepFinishedJobs) {

  /** Validates the settings. */
  public MetricsSettings {
    if (sampleInterval.isNegative() || sampleInterval.isZero()) {
      throw new IllegalArgumentException(
          "troupe.metrics.sample-interval must be positive, not " + sampleInterval);
    }
    if (keepFinishedJobs < 0) {
      throw new IllegalArgumentException(
          "troupe.metrics.keep-finished-jobs must be 0 or more, not " + keepFinishedJobs);
    }
  }

  /**
   * Reads the settings.
   *
   * @param config the node's config
   * @return the settings
   */
  public static MetricsSettings create(Config config) {
    Config c = config.getConfig("troupe.metrics");
    return new MetricsSettings(
        c.getBoolean("enabled"), c.getDuration("sample-interval"), c.getInt("keep-finished-jobs"));
  }
}
