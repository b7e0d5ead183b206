package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

final class DispatcherInfoTest {

  @Test
  void describe_pekkoDefaultOnTwoCores_showsEightThreadsThroughputFive() {
    assertThat(DispatcherInfo.describe(Configurations.pekkoDefault(), 2))
        .isEqualTo("fork-join-executor, 8 threads, throughput 5");
  }

  @Test
  void describe_troupeWithThroughputExperiment_showsTheExperimentValue() {
    String described =
        DispatcherInfo.describe(
            Configurations.troupe(ConfigFactory.parseString("troupe.actors.throughput = 20")),
            Runtime.getRuntime().availableProcessors());

    assertThat(described)
        .isEqualTo(
            "fork-join-executor, "
                + Runtime.getRuntime().availableProcessors()
                + " threads, LIFO task peeking, throughput 20");
  }

  @Test
  void describe_affinityPoolExperiment_showsItsPoolSize() {
    String described =
        DispatcherInfo.describe(
            Configurations.troupe(
                ConfigFactory.parseString(
                    "pekko.actor.default-dispatcher { executor = affinity-pool-executor,"
                        + " affinity-pool-executor { parallelism-min = 2, parallelism-max = 2 } }")),
            2);

    assertThat(described).startsWith("affinity-pool-executor, 2 threads, throughput ");
  }
}
