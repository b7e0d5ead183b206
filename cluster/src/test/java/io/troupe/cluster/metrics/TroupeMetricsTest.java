package io.troupe.cluster.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

final class TroupeMetricsTest {

  private static ActorTestKit kit(String metricsConfig) {
    return ActorTestKit.create(
        ConfigFactory.parseString(metricsConfig).withFallback(ConfigFactory.load()).resolve());
  }

  @Test
  void jobMeters_renderPerStageSeries_andOldFinishedJobsAreRemoved() {
    ActorTestKit kit = kit("troupe.metrics.keep-finished-jobs = 1");
    try {
      TroupeMetrics metrics = TroupeMetrics.get(kit.system());
      JobMeters first = metrics.job("job-1", "sum");
      first.completed("add", 2_000_000, 1_500_000);
      first.completed("add", 4_000_000, 3_000_000);
      first.failed("add");
      first.retried("add");
      first.sampleHost(5, 3);
      first.sampleWaiting(Map.of("add", 7L));

      String text = metrics.scrape();
      assertThat(text)
          .contains(
              "troupe_items_processed_total{job=\"job-1\",pipeline=\"sum\",stage=\"add\"} 2.0")
          .contains("troupe_items_failed_total{job=\"job-1\",pipeline=\"sum\",stage=\"add\"} 1.0")
          .contains("troupe_items_retried_total{job=\"job-1\",pipeline=\"sum\",stage=\"add\"} 1.0")
          .contains(
              "troupe_stage_busy_seconds_total{job=\"job-1\",pipeline=\"sum\",stage=\"add\"} 0.0045")
          .contains(
              "troupe_item_latency_seconds_count{job=\"job-1\",pipeline=\"sum\",stage=\"add\"} 2")
          .contains("troupe_job_in_flight{job=\"job-1\",pipeline=\"sum\"} 5.0")
          .contains("troupe_job_mailbox_depth{job=\"job-1\",pipeline=\"sum\"} 3.0")
          .contains("troupe_stage_items_waiting{job=\"job-1\",pipeline=\"sum\",stage=\"add\"} 7.0")
          .contains("troupe_dispatcher_busy_seconds_total{")
          .contains("jvm_memory_used_bytes{");

      first.sampleWaiting(Map.of());
      assertThat(metrics.scrape())
          .as("a stage with nothing left waiting reads 0")
          .contains("troupe_stage_items_waiting{job=\"job-1\",pipeline=\"sum\",stage=\"add\"} 0.0");

      first.finished();
      assertThat(metrics.scrape()).as("kept: one finished job").contains("job=\"job-1\"");
      JobMeters second = metrics.job("job-2", "sum");
      second.completed("add", 1_000_000, 1_000_000);
      second.finished();
      String after = metrics.scrape();
      assertThat(after).doesNotContain("job=\"job-1\"").contains("job=\"job-2\"");
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void metricsOff_recordNothing_andScrapeIsEmpty() {
    ActorTestKit kit = kit("troupe.metrics.enabled = off");
    try {
      TroupeMetrics metrics = TroupeMetrics.get(kit.system());
      JobMeters meters = metrics.job("job-1", "sum");
      meters.completed("add", 1, 1);
      meters.sampleHost(1, 1);
      meters.finished();

      assertThat(metrics.enabled()).isFalse();
      assertThat(meters).isSameAs(JobMeters.NONE);
      assertThat(metrics.scrape()).isEmpty();
      assertThat(metrics.registry()).isEmpty();
    } finally {
      kit.shutdownTestKit();
    }
  }
}
