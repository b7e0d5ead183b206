package io.troupe.bench.failures;

import io.troupe.bench.CpuMeter;
import io.troupe.bench.MachineInfo;
import io.troupe.bench.Report;
import io.troupe.bench.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * What failing items cost: a Troupe job and a {@code StagePipeline}, each with and without items
 * that throw, in one run, alternating which goes first in every round. Prints a Markdown table on
 * stdout; progress goes to stderr.
 *
 * <ul>
 *   <li>{@code job}: {@link FlakyPipeline} on an embedded node, 10,000 small items of which 2%
 *       throw on every attempt and 2% on their first attempt only, against the same job with none
 *       failing; and the failing job once more on a node whose coordinator retries at once ({@code
 *       troupe.jobs.retry-backoff} 1 ms), which tells the coordinator's retry delay apart from the
 *       workers' restarts.
 *   <li>{@code stages}: a two-stage {@code StagePipeline} over 20,000 generated lines of which 80
 *       are malformed (the parsing worker throws), against the same lines all well-formed.
 * </ul>
 *
 * <p>A run that does not finish within {@code --timeout} is recorded as such, and its variant takes
 * no further part in the run.
 *
 * <p>Options: {@code --quick} (1 warm-up + 5 measured rounds instead of 2 + 7), {@code --rounds N},
 * {@code --warmups N}, {@code --timeout SECONDS} (per run, default 120), {@code --only job|stages}.
 */
public final class FailuresBench {

  private FailuresBench() {}

  /** One way of running a workload, timed. */
  interface Variant {
    /** Returns what the table calls it. */
    String label();

    /**
     * Runs the workload once and checks its result.
     *
     * @param timeout the longest the run may take
     * @return the run's wall time in nanoseconds
     * @throws TimeoutException if the run did not finish in time
     * @throws Exception if the run failed or computed a wrong result
     */
    long run(Duration timeout) throws Exception;
  }

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    int rounds = -1;
    int warmups = -1;
    Duration timeout = Duration.ofSeconds(120);
    List<String> only = List.of("job", "stages");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmups" -> warmups = Integer.parseInt(args[++i]);
        case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(args[++i]));
        case "--only" -> only = Arrays.asList(args[++i].split(","));
        case "--help" -> {
          System.out.println(
              "bench/run failures [--quick] [--rounds N] [--warmups N] [--timeout SECONDS]"
                  + " [--only job,stages]");
          return;
        }
        default -> {
          System.err.println("failures: unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    if (warmups < 0) {
      warmups = quick ? 1 : 2;
    }
    if (rounds < 0) {
      rounds = quick ? 5 : 7;
    }

    MachineInfo machine = MachineInfo.capture();
    String loadBefore = MachineInfo.loadAverage();
    CpuMeter meter = CpuMeter.start();
    long started = System.nanoTime();
    List<String> rows = new ArrayList<>();
    List<String> workloads = new ArrayList<>();
    if (only.contains("job")) {
      try (JobVariants job = JobVariants.start()) {
        workloads.add(job.description());
        rows.addAll(
            compare(
                "job",
                job.clean(),
                List.of(job.failing(), job.failingFastRetry()),
                warmups,
                rounds,
                timeout));
      }
    }
    if (only.contains("stages")) {
      try (StageVariants stages = StageVariants.start()) {
        workloads.add(stages.description());
        rows.addAll(
            compare("stages", stages.clean(), List.of(stages.failing()), warmups, rounds, timeout));
      }
    }

    StringBuilder out = new StringBuilder();
    out.append("### Failures: the same work with and without failing items\n\n");
    out.append(machine.markdownLines());
    workloads.forEach(w -> out.append("- ").append(w).append('\n'));
    out.append(
        String.format(
            Locale.ROOT,
            "- Rounds: %d warm-up + %d measured, each running every variant once, rotating which"
                + " goes first; every result is checked; a run over %d s counts as not finished"
                + " and its variant stops there%n",
            warmups,
            rounds,
            timeout.toSeconds()));
    out.append(MachineInfo.loadLine(meter, loadBefore, started));
    out.append("| Case | Variant | Clean | With failures | With failures ÷ clean | Target |\n");
    out.append("|---|---|---:|---:|---:|---:|\n");
    rows.forEach(r -> out.append(r).append('\n'));
    out.append(
        "\nTimes are medians. The ratio is the variant's time ÷ the clean time in the same round,"
            + " median (min–max); 1× means failures cost nothing.\n");
    System.out.print(out);
  }

  /**
   * Runs a clean variant and the failing ones in turn, round after round, and returns one table row
   * per failing variant.
   */
  static List<String> compare(
      String name,
      Variant clean,
      List<Variant> failing,
      int warmups,
      int rounds,
      Duration timeout) {
    List<Variant> all = new ArrayList<>();
    all.add(clean);
    all.addAll(failing);
    Map<String, List<Long>> times = new TreeMap<>();
    Map<String, String> unfinished = new TreeMap<>();
    for (Variant v : all) {
      times.put(v.label(), new ArrayList<>());
    }
    long lastClean = 0;
    for (int round = 0; round < warmups + rounds; round++) {
      boolean measured = round >= warmups;
      String which =
          (measured ? "round " : "warm-up ") + (measured ? round - warmups + 1 : round + 1);
      int shift = round % all.size();
      long[] roundTimes = new long[all.size()];
      for (int k = 0; k < all.size(); k++) {
        int index = (k + shift) % all.size();
        Variant v = all.get(index);
        if (unfinished.containsKey(v.label())) {
          continue;
        }
        try {
          System.gc();
          roundTimes[index] = v.run(timeout);
          System.err.printf(
              Locale.ROOT,
              "  %s %s: %s %s%n",
              name,
              which,
              v.label(),
              Report.millis(roundTimes[index]));
        } catch (TimeoutException e) {
          unfinished.put(
              v.label(),
              String.format(
                  Locale.ROOT,
                  "did not finish within %d s (%s; by then %s)",
                  timeout.toSeconds(),
                  which,
                  e.getMessage()));
          System.err.printf(
              Locale.ROOT, "  %s %s: %s%n", name, v.label(), unfinished.get(v.label()));
        } catch (Exception e) {
          throw new IllegalStateException(name + " " + v.label() + " failed", e);
        }
      }
      if (roundTimes[0] > 0) {
        lastClean = roundTimes[0];
      }
      if (measured && roundTimes[0] > 0) {
        for (int index = 0; index < all.size(); index++) {
          if (roundTimes[index] > 0) {
            times.get(all.get(index).label()).add(roundTimes[index]);
          }
        }
      }
      if (unfinished.containsKey(clean.label()) || unfinished.size() == failing.size()) {
        break;
      }
    }
    List<Long> cleanTimes = times.get(clean.label());
    // When every failing variant stopped in the warm-up, the clean one has no measured round:
    // show its last run rather than nothing.
    double cleanNanos = cleanTimes.isEmpty() ? lastClean : Stats.median(cleanTimes);
    String cleanCell =
        cleanNanos == 0
            ? "–"
            : Report.millis(cleanNanos) + (cleanTimes.isEmpty() ? " (warm-up)" : "");
    List<String> rows = new ArrayList<>();
    for (Variant v : failing) {
      List<Long> mine = times.get(v.label());
      String failingCell;
      String ratioCell;
      if (unfinished.containsKey(v.label())) {
        failingCell = unfinished.get(v.label());
        ratioCell =
            cleanNanos == 0
                ? "–"
                : String.format(Locale.ROOT, "> %.0f×", timeout.toNanos() / cleanNanos);
      } else {
        failingCell = Report.millis(Stats.median(mine));
        // A variant that finished every round it ran has a time in each round the clean one has.
        ratioCell = Report.ratio(Stats.ratios(mine, cleanTimes.subList(0, mine.size())));
      }
      rows.add(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | ≤ 1.5× |",
              name,
              v.label(),
              cleanCell,
              failingCell,
              ratioCell));
    }
    return rows;
  }
}
