package io.troupe.bench;

import io.troupe.bench.savina.Workload;
import java.util.List;

/**
 * The measured rounds of one workload, in nanoseconds, round {@code i} of each configuration having
 * run right after round {@code i} of the one before.
 *
 * @param workload the workload
 * @param troupe the times on Troupe's configuration
 * @param pekkoDefault the times on Pekko's out-of-the-box configuration
 * @param jdk the times of the JDK baseline; empty if it has none or it was skipped
 */
public record WorkloadTimes(
    Workload workload, List<Long> troupe, List<Long> pekkoDefault, List<Long> jdk) {

  /** Returns Troupe's speedup over Pekko's defaults per round: Pekko time ÷ Troupe time. */
  public List<Double> speedups() {
    return Stats.ratios(pekkoDefault, troupe);
  }

  /** Returns Troupe's speedup over the JDK baseline per round: JDK time ÷ Troupe time. */
  public List<Double> jdkSpeedups() {
    return jdk.isEmpty() ? List.of() : Stats.ratios(jdk, troupe);
  }
}
