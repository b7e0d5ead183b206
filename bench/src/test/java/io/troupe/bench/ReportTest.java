package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.bench.savina.Fibonacci;
import io.troupe.bench.savina.ThreadRing;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ReportTest {

  @Test
  void ratio_ofRounds_showsMedianAndRange() {
    assertThat(Report.ratio(List.of(1.80, 1.41, 1.62))).isEqualTo("1.62× (1.41–1.80)");
  }

  @Test
  void ratio_belowOneTenth_keepsTwoSignificantDigits() {
    assertThat(Report.ratio(List.of(0.0072, 0.012, 0.25))).isEqualTo("0.012× (0.0072–0.25)");
  }

  @Test
  void millis_ofDurations_keepsThreeSignificantFiguresOrMore() {
    assertThat(Report.millis(1_234_500_000)).isEqualTo("1,235 ms");
    assertThat(Report.millis(56_740_000)).isEqualTo("56.7 ms");
    assertThat(Report.millis(8_901_000)).isEqualTo("8.90 ms");
  }

  @Test
  void markdown_ofTwoWorkloads_showsSpeedupsJdkColumnAndGeometricMean() {
    WorkloadTimes fib =
        new WorkloadTimes(
            Fibonacci.workload(5),
            List.of(100L, 100L, 100L),
            List.of(400L, 400L, 400L),
            List.of(50L, 50L, 50L));
    WorkloadTimes ring =
        new WorkloadTimes(
            ThreadRing.workload(2, 5),
            List.of(100L, 100L, 100L),
            List.of(100L, 100L, 300L),
            List.of());

    String markdown = Report.markdown(List.of("Date: today"), List.of(fib, ring));

    assertThat(markdown)
        .contains("- Date: today")
        .contains("| Fibonacci | 0.00 ms | 0.00 ms | 4.00× (4.00–4.00) | 0.00 ms |")
        .contains("| 0.50× (0.50–0.50) |")
        .contains("| ThreadRing | 0.00 ms | 0.00 ms | 1.00× (1.00–3.00) | – | – | – |")
        .contains("Geometric mean of the 2 median speedups over Pekko defaults: **2.00×**")
        .contains("Noisy: the speedup of ThreadRing varied");
  }
}
