package io.troupe.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.cluster.internal.Pipelines;
import io.troupe.sdk.PipelineUsageException;
import io.troupe.sdk.testkit.JobResult;
import io.troupe.sdk.testkit.PipelineTestKit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The README's pipeline: found through ServiceLoader, and run on an embedded node by the kit. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class SquaresPipelineTest {

  private final PipelineTestKit kit = PipelineTestKit.start(new SquaresPipeline());

  @AfterAll
  void stop() {
    kit.close();
  }

  @Test
  void readmePipeline_isFoundByName() {
    assertThat(Pipelines.load().find("squares")).isPresent();
  }

  @Test
  void job_matchesTheFormulaAndItsSequentialResult() throws Exception {
    JobResult job = kit.run("squares", "--n", "1234567");

    long n = 1_234_567L;
    assertThat(job.status()).isEqualTo("completed");
    assertThat(job.result().get("sumOfSquares").asLong()).isEqualTo(n * (n + 1) * (2 * n + 1) / 6);
    assertThat(job.result()).isEqualTo(kit.sequential("squares", "--n", "1234567"));
    assertThat(job.report().path("items").asLong()).isEqualTo(13);
  }

  @Test
  void parse_withBadOptions_explainsWhatIsAllowed() {
    assertThatThrownBy(() -> new SquaresPipeline().parse(List.of("--n", "-1")))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessage("squares: --n must be in [0, 2000000] (the sum fits a long), was -1");
    assertThatThrownBy(() -> new SquaresPipeline().parse(List.of("--n", "lots")))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageStartingWith("squares: Invalid value for option '--n': 'lots' is not a long");
    assertThatThrownBy(() -> new SquaresPipeline().parse(List.of("--m", "3")))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageStartingWith("squares: Unknown options: '--m', '3'");
  }
}
