package io.troupe.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.cluster.internal.ParsedPipeline;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.sdk.Confinement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A pipeline's plan size, told from its options alone, bounds its plan from above and is tight:
 * Troupe refuses a job on it before planning, so an estimate below the plan would let an oversized
 * job through, and one far above would refuse a job that fits.
 */
final class PlanSizeTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "primes | --limit 0 --segment 1",
        "primes | --limit 1000 --segment 7",
        "primes | --limit 1000 --segment 1000",
        "primes | --limit 999 --segment 1000",
        "primes | --limit 1000000 --segment 100",
        "mandelbrot | --width 100 --height 50 --tile 8",
        "mandelbrot | --width 128 --height 128 --tile 128",
        "montecarlo | --paths 1000 --batch 7",
        "montecarlo | --paths 1000 --batch 1000",
        "montecarlo | --paths 1 --batch 1000",
        "orders | --orders 1000 --batch 7",
        "orders | --orders 1000 --batch 100",
      })
  void planSize_boundsThePlanWithinOneItem(String pipeline, String args) throws Exception {
    ParsedPipeline parsed =
        ParsedPipeline.parse(
            Pipelines.load().get(pipeline), List.of(args.split(" ")), Confinement.local());

    int planned = parsed.plan().size();

    assertThat(parsed.planSize()).isBetween((long) planned, planned + 1L);
  }

  @Test
  void planSize_ofAHugeJob_isCountedWithoutPlanning() {
    ParsedPipeline parsed =
        ParsedPipeline.parse(
            Pipelines.load().get("primes"),
            List.of("--limit", "10000000000000000", "--segment", "1"),
            Confinement.local());

    assertThat(parsed.planSize()).isEqualTo(10_000_000_000_000_001L);
  }

  @Test
  void planSize_ofAPipelineThatMustReadItsInput_isUnknown() {
    assertThat(
            ParsedPipeline.parse(Pipelines.load().get("wordcount"), List.of(), Confinement.local())
                .planSize())
        .isEqualTo(-1);
  }
}
