package io.troupe.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Renders a run as the Markdown that bench/run prints and docs/BENCHMARKS.md keeps. */
public final class Report {

  /** A speedup whose max ÷ min over the rounds exceeds this is flagged as noisy. */
  static final double NOISY_SPREAD = 1.3;

  private Report() {}

  /**
   * Renders the results table with the run's description above it.
   *
   * @param header one Markdown bullet per fact about the run: machine, configurations, rounds
   * @param results the workloads' times, in table order
   * @return the Markdown
   */
  public static String markdown(List<String> header, List<WorkloadTimes> results) {
    StringBuilder out = new StringBuilder();
    out.append("### Savina micro set: Troupe vs Pekko defaults\n\n");
    for (String line : header) {
      out.append("- ").append(line).append('\n');
    }
    out.append('\n');
    out.append(
        "| Workload | Troupe | Pekko default | Troupe speedup over Pekko default"
            + " | JDK | JDK idiom | Troupe vs JDK |\n");
    out.append("|---|---:|---:|---:|---:|---|---:|\n");
    List<Double> medianSpeedups = new ArrayList<>();
    List<String> noisy = new ArrayList<>();
    for (WorkloadTimes times : results) {
      List<Double> speedups = times.speedups();
      medianSpeedups.add(Stats.median(speedups));
      if (Collections.max(speedups) / Collections.min(speedups) > NOISY_SPREAD) {
        noisy.add(times.workload().name());
      }
      boolean jdk = !times.jdk().isEmpty();
      out.append("| ")
          .append(times.workload().name())
          .append(" | ")
          .append(millis(Stats.median(times.troupe())))
          .append(" | ")
          .append(millis(Stats.median(times.pekkoDefault())))
          .append(" | ")
          .append(ratio(speedups))
          .append(" | ")
          .append(jdk ? millis(Stats.median(times.jdk())) : "–")
          .append(" | ")
          .append(jdk ? times.workload().jdk().orElseThrow().idiom() : "–")
          .append(" | ")
          .append(jdk ? ratio(times.jdkSpeedups()) : "–")
          .append(" |\n");
    }
    if (!results.isEmpty()) {
      out.append(
          String.format(
              Locale.ROOT,
              "%nGeometric mean of the %d median speedups over Pekko defaults: **%.2f×**%n",
              medianSpeedups.size(),
              Stats.geometricMean(medianSpeedups)));
    }
    out.append(
        "\nTimes are medians over the measured rounds, from a workload's first send to its last"
            + " completion signal. A speedup is the other configuration's time ÷ Troupe's time"
            + " in the same round, given as median (min–max) over the rounds; above 1× Troupe"
            + " is faster.\n");
    if (!noisy.isEmpty()) {
      out.append(
          String.format(
              Locale.ROOT,
              "%nNoisy: the speedup of %s varied by more than %.1f× between rounds; read it as a"
                  + " rough figure.%n",
              String.join(", ", noisy),
              NOISY_SPREAD));
    }
    return out.toString();
  }

  /**
   * Formats ratios as their median with their range, like {@code 1.62× (1.41–1.80)}.
   *
   * @param ratios at least one ratio
   * @return the formatted ratio
   */
  public static String ratio(List<Double> ratios) {
    return factor(Stats.median(ratios))
        + "× ("
        + factor(Collections.min(ratios))
        + "–"
        + factor(Collections.max(ratios))
        + ")";
  }

  /** Two decimals, or two significant digits below 0.1 so that small ratios do not read as 0. */
  private static String factor(double ratio) {
    return String.format(Locale.ROOT, ratio >= 0.1 ? "%.2f" : "%.2g", ratio);
  }

  /**
   * Formats nanoseconds as milliseconds with a precision that suits the magnitude.
   *
   * @param nanos a duration in nanoseconds
   * @return for example "1,234 ms", "56.7 ms" or "8.90 ms"
   */
  public static String millis(double nanos) {
    double ms = nanos / 1e6;
    String pattern = ms >= 100 ? "%,.0f ms" : ms >= 10 ? "%.1f ms" : "%.2f ms";
    return String.format(Locale.ROOT, pattern, ms);
  }
}
