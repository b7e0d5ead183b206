package io.troupe.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.PipelineUsageException;
import io.troupe.cluster.Pipelines;
import io.troupe.cluster.TroupeNode;
import io.troupe.persistence.JobSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's pipeline, discovered through ServiceLoader and run on an embedded node. */
final class SquaresPipelineTest {

  @TempDir Path dir;

  @Test
  void readmePipeline_isFoundByNameAndMatchesItsSequentialResult() throws Exception {
    assertThat(Pipelines.load().find("squares")).isPresent();
    try (TroupeNode node =
        TroupeNode.start(
            "readme",
            ConfigFactory.parseString(
                "troupe.persistence.h2.file = \""
                    + dir.resolve("ledger")
                    + "\"\n"
                    + "troupe.jobs.workers-per-node = 2"),
            Pipelines.load(),
            TroupeNode.Membership.SELF)) {
      node.whenUp().toCompletableFuture().get(60, TimeUnit.SECONDS);
      node.jobs()
          .start(new JobSpec("squares-1", "squares", List.of("--n", "1234567")))
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      JobStatus done =
          node.jobs()
              .awaitCompletion("squares-1", Duration.ofMinutes(1))
              .toCompletableFuture()
              .get(70, TimeUnit.SECONDS);

      long n = 1_234_567L;
      assertThat(done.result().get("sumOfSquares").asLong())
          .isEqualTo(n * (n + 1) * (2 * n + 1) / 6);
      assertThat(done.result().toString())
          .isEqualTo(new SquaresPipeline().sequential(n).toString());
      assertThat(done.items()).isEqualTo(13);
    }
  }

  @Test
  void parse_withBadOptions_explainsWhatIsAllowed() {
    assertThatThrownBy(() -> new SquaresPipeline().parse(List.of("--n", "lots")))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessage("squares: expected --n N with 0 <= N < 10^9");
  }
}
