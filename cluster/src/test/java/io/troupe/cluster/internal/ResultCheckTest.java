package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.TestNodes;
import io.troupe.persistence.JobSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results that could not cross nodes: one too large for an Artery frame and one that cannot be
 * serialized. With {@code troupe.jobs.check-results = always} a single node checks them as a
 * cluster would; each is retried, then quarantined with the real reason, while the job finishes
 * with every other item.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class ResultCheckTest {

  @TempDir static Path dir;

  private TroupeNode node;

  @BeforeAll
  void start() throws Exception {
    node =
        TestNodes.startUp(
            "result-check-test",
            TestNodes.h2Ledger(dir.resolve("ledger"))
                + TestNodes.QUICK_RETRIES
                + "troupe.jobs.check-results = always\n");
  }

  @AfterAll
  void stop() {
    TestNodes.close(node);
  }

  @Test
  void oversizeAndUnserializableResults_areQuarantinedWithTheirReason() throws Exception {
    JobStatus status =
        TestNodes.run(
            node,
            new JobSpec(
                "sum-bad-results", "sum", List.of("--n", "20", "--huge", "3", "--unwritable", "5")),
            Duration.ofSeconds(60));

    assertThat(status.state()).as("%s", status.error()).isEqualTo("completed_with_failures");
    assertThat(status.result().get("sum").asLong()).isEqualTo(210 - 3 - 5);
    Map<String, String> reasons = new HashMap<>();
    for (JsonNode q : status.result().get("quarantined")) {
      reasons.put(q.get("item").asText(), q.get("reason").asText());
    }
    assertThat(reasons).containsOnlyKeys("n-3", "n-5");
    assertThat(reasons.get("n-3"))
        .contains("too large to cross nodes")
        .contains("pekko.remote.artery.advanced.maximum-frame-size (8,388,608 bytes)");
    assertThat(reasons.get("n-5"))
        .startsWith("the result cannot be serialized to cross nodes: ")
        .contains("this partial cannot be written");
    assertThat(status.failedAttempts()).isEqualTo(6);
  }

  @Test
  void checkResults_rejectsAnUnknownMode() {
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    JobSettings.create(
                        TroupeNode.config(
                            ConfigFactory.parseString("troupe.jobs.check-results = sometimes")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("troupe.jobs.check-results must be \"remote\" or \"always\"");
  }
}
