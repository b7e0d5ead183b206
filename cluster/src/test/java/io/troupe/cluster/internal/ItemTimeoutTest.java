package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.TestNodes;
import io.troupe.persistence.JobSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An item whose worker hangs past the item timeout fails that attempt alone: the items handed out
 * in the same batch and finished by other workers count as done, not as failed with it.
 */
final class ItemTimeoutTest {

  @TempDir Path dir;

  @Test
  void hungItem_isRetriedThenQuarantined_andTheRestOfItsBatchCompletes() throws Exception {
    // Large batches, so the hung item shares its batch with items other workers finish; one item
    // per worker at a time, so nothing waits behind the hung one in its worker's mailbox.
    String config =
        TestNodes.h2Ledger(dir.resolve("ledger"))
            + TestNodes.QUICK_RETRIES
            + "troupe.jobs { item-timeout = 400ms, max-attempts = 2, max-in-flight-per-worker = 1,"
            + " batch.target = 1s }\n";
    try (TroupeNode node = TestNodes.startUp("timeout-test", config)) {
      JobStatus status =
          TestNodes.run(
              node,
              new JobSpec("hang", "sum", List.of("--n", "40", "--hang", "20", "--hang-ms", "3000")),
              Duration.ofSeconds(60));

      assertThat(status.state()).isEqualTo("completed_with_failures");
      assertThat(status.result().get("sum").asLong()).isEqualTo(40 * 41 / 2 - 20);
      assertThat(status.result().get("items").asLong()).isEqualTo(39);
      JsonNode quarantined = status.result().get("quarantined");
      assertThat(quarantined).hasSize(1);
      assertThat(quarantined.get(0).get("item").asText()).isEqualTo("n-20");
      assertThat(quarantined.get(0).get("reason").asText())
          .startsWith("java.util.concurrent.TimeoutException: no answer within PT0.4S");
      assertThat(status.report().get("itemsRetried").asLong()).isEqualTo(1);
    }
  }
}
