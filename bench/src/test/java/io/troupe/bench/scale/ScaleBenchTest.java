package io.troupe.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.bench.scale.ScaleOptions.Setup;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ScaleBenchTest {

  private static ScaleTables.JobRow row(Setup setup, long size, CaseResult... rounds) {
    return new ScaleTables.JobRow(setup, size, "512m", new ArrayList<>(List.of(rounds)));
  }

  @Test
  void gaveOut_afterASmallerSizeOfTheSameSetupRanOutOfHeap_skipsTheLargerOne() {
    ScaleTables.JobRow oom = row(Setup.H2, 1_000_000, CaseResult.of(CaseResult.OOM, "OOM", 1));
    ScaleTables.JobRow next = row(Setup.H2, 10_000_000);
    ScaleTables.JobRow other = row(Setup.POSTGRES, 10_000_000);

    List<ScaleTables.JobRow> rows = List.of(oom, next, other);

    assertThat(ScaleBench.gaveOut(rows, next)).isEqualTo("skipped: 10^6 ran out of heap");
    assertThat(ScaleBench.gaveOut(rows, other)).isEmpty();
  }

  @Test
  void gaveOut_whenOneRoundOfTheSmallerSizeFinished_runsTheLargerOne() {
    CaseResult ok = CaseResult.parse(CaseResult.PREFIX + "{\"outcome\":\"ok\"}", 1).orElseThrow();
    ScaleTables.JobRow mixed =
        row(Setup.H2, 1_000_000, CaseResult.of(CaseResult.TIMEOUT, "timed out", 1), ok);
    ScaleTables.JobRow next = row(Setup.H2, 10_000_000);

    assertThat(ScaleBench.gaveOut(List.of(mixed, next), next)).isEmpty();
  }
}
