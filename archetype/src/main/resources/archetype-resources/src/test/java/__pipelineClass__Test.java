package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.troupe.sdk.PipelineUsageException;
import io.troupe.sdk.testkit.JobResult;
import io.troupe.sdk.testkit.PipelineTestKit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs real jobs of the pipeline on an embedded Troupe node. */
final class ${pipelineClass}Test {

  private static PipelineTestKit kit;

  @BeforeAll
  static void start() {
    kit = PipelineTestKit.start(new ${pipelineClass}());
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  @Test
  void job_countsThePrimes_likeTheSequentialReference() throws Exception {
    JobResult job = kit.run("${artifactId}", "--n", "100000", "--chunk", "7000");

    assertEquals("completed", job.status(), () -> "the job: " + job);
    assertEquals(9592, job.result().get("count").asLong());
    assertEquals(99991, job.result().get("largest").asLong());
    assertEquals(kit.sequential("${artifactId}", "--n", "100000", "--chunk", "7000"), job.result());
  }

  @Test
  void options_outOfRange_areRefusedWithTheReason() {
    PipelineUsageException e =
        assertThrows(PipelineUsageException.class, () -> new ${pipelineClass}().parse(List.of("--n", "-1")));
    assertTrue(e.getMessage().startsWith("${artifactId}: --n must be"), e.getMessage());
  }
}
