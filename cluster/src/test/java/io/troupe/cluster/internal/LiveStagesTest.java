package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class LiveStagesTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void samples_showThroughputWaitingAndInFlight_perStage_andKeepOnlyTheLastOnes() {
    StageMeters meters = new StageMeters();
    meters.node("n1", 2);
    LiveStages live = new LiveStages(1000, 2);

    live.sample(SECOND, 1000, meters, Map.of("fast", new long[] {10, 2}));
    for (int i = 0; i < 6; i++) {
      meters.record("fast", 1_000_000, 1_000_000, 0);
    }
    live.sample(
        2 * SECOND, 2000, meters, Map.of("fast", new long[] {4, 2}, "slow", new long[] {6, 0}));
    for (int i = 0; i < 3; i++) {
      meters.record("slow", 9_000_000, 9_000_000, 0);
    }
    live.sample(3 * SECOND, 3000, meters, Map.of("slow", new long[] {9, 2}));

    JsonNode json = live.toJson(meters, 3 * SECOND);
    assertThat(json.path("intervalMs").asLong()).isEqualTo(1000);
    assertThat(json.path("samples").size()).as("only the last two are kept").isEqualTo(2);
    JsonNode second = json.path("samples").get(0).path("stages");
    assertThat(second.path("fast").path("itemsPerSec").asDouble()).isEqualTo(6.0);
    assertThat(second.path("fast").path("waiting").asLong()).isEqualTo(2);
    assertThat(second.path("slow").path("waiting").asLong()).isEqualTo(6);
    JsonNode third = json.path("samples").get(1).path("stages");
    assertThat(third.path("fast").path("waiting").asLong()).as("a stage with none left").isZero();
    assertThat(third.path("slow").path("waiting").asLong()).isEqualTo(7);
    assertThat(third.path("slow").path("inFlight").asLong()).isEqualTo(2);
    assertThat(third.path("slow").path("itemsPerSec").asDouble()).isEqualTo(3.0);
    assertThat(live.maxWaiting("fast")).isEqualTo(8);
    assertThat(live.maxWaiting("slow")).isEqualTo(7);
  }

  @Test
  void bottleneck_isTheStageTakingMostWorkerTime_orTheCoordinatorWhenWorkersIdle() {
    StageMeters meters = new StageMeters();
    meters.node("n1", 2);
    meters.record("fast", 1, 200 * 1_000_000L, 0);
    meters.record("slow", 1, 1100 * 1_000_000L, 0);

    assertThat(meters.bottleneck(SECOND)).isEqualTo("slow");
    assertThat(meters.busyPct("slow", SECOND)).isEqualTo(55.0);
    assertThat(meters.bottleneck(10 * SECOND)).as("workers mostly idle").isEqualTo("coordinator");
    RunCounts.Summary run = new RunCounts.Summary(2, 0, 2, 0, 0, 0, 0, 0, 0);
    assertThat(
            RunReport.of(meters, new LiveStages(1000, 10), run, SECOND, null)
                .toJson()
                .path("bottleneck")
                .asText())
        .isEqualTo("slow");
  }
}
