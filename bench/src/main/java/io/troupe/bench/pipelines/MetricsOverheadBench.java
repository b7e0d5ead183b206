package io.troupe.bench.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.troupe.bench.CpuMeter;
import io.troupe.bench.MachineInfo;
import io.troupe.bench.Report;
import io.troupe.bench.Stats;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.cluster.metrics.TroupeMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The cost of metrics: the same jobs on two embedded nodes in one JVM, one with {@code
 * troupe.metrics.enabled = on} (the default) and one with it off, alternating which goes first in
 * every round so warm-up and drift fall on both alike. Prints a Markdown table on stdout.
 *
 * <p>Options: {@code --quick} (2 warm-up + 5 measured rounds instead of 3 + 9), {@code --rounds N},
 * {@code --only NAME[,NAME]}.
 */
public final class MetricsOverheadBench {

  private MetricsOverheadBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    int rounds = -1;
    List<String> only = List.of();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--only" -> only = Arrays.asList(args[++i].split(","));
        default -> {
          System.err.println("metrics: unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    int warmups = quick ? 2 : 3;
    if (rounds < 0) {
      rounds = quick ? 5 : 9;
    }
    List<PipelineCase> cases = new ArrayList<>();
    cases.add(
        new PipelineCase(
            "primes",
            "primes <= 10^9, 2^15-number segments (30,518 small items: the framework's per-item"
                + " cost dominates)",
            List.of("--limit", "1000000000", "--segment", "32768"),
            "",
            null));
    cases.add(
        new PipelineCase(
            "montecarlo",
            "4*10^7 paths, 10^5 per batch (400 items)",
            List.of("--paths", "40000000", "--batch", "100000"),
            "",
            null));
    if (!only.isEmpty()) {
      List<String> wanted = only;
      cases.removeIf(c -> !wanted.contains(c.name()));
    }

    Path work = Files.createDirectories(Path.of("bench", "target", "metrics").toAbsolutePath());
    MachineInfo machine = MachineInfo.capture();
    String loadBefore = MachineInfo.loadAverage();
    CpuMeter meter = CpuMeter.start();
    long started = System.nanoTime();
    List<String> rows = new ArrayList<>();
    try (TroupeNode on = node("bench-metrics-on", work, true);
        TroupeNode off = node("bench-metrics-off", work, false)) {
      if (!TroupeMetrics.get(on.system()).enabled() || TroupeMetrics.get(off.system()).enabled()) {
        throw new IllegalStateException("the two nodes do not differ in metrics");
      }
      int job = 0;
      for (PipelineCase c : cases) {
        String expected = PipelineBench.canonical(c.parsed().sequential().orElseThrow());
        List<Long> withMetrics = new ArrayList<>();
        List<Long> without = new ArrayList<>();
        for (int round = 0; round < warmups + rounds; round++) {
          boolean onFirst = round % 2 == 0;
          long a = time(onFirst ? on : off, "bench-" + c.name() + "-" + (++job), c, expected);
          long b = time(onFirst ? off : on, "bench-" + c.name() + "-" + (++job), c, expected);
          long tOn = onFirst ? a : b;
          long tOff = onFirst ? b : a;
          boolean measured = round >= warmups;
          System.err.printf(
              Locale.ROOT,
              "  %s %s %d: metrics on %s, off %s%n",
              c.name(),
              measured ? "round" : "warm-up",
              measured ? round - warmups + 1 : round + 1,
              Report.millis(tOn),
              Report.millis(tOff));
          if (measured) {
            withMetrics.add(tOn);
            without.add(tOff);
          }
        }
        // Throughput with metrics over throughput without = time without / time with.
        List<Double> ratios = Stats.ratios(without, withMetrics);
        double cost = 100 * (1 - Stats.median(ratios));
        rows.add(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %+.1f %% |",
                c.name(),
                c.workload(),
                Report.millis(Stats.median(without)),
                Report.millis(Stats.median(withMetrics)),
                Report.ratio(ratios),
                cost));
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("### Metrics overhead: the same jobs with metrics on and off\n\n");
    out.append(machine.markdownLines());
    out.append(
        "- Two embedded nodes in one JVM (`troupe run`'s path, H2 file ledger, 2 workers each),"
            + " one with `troupe.metrics.enabled = on` (Micrometer, Prometheus registry, per-stage"
            + " latency histograms), one with it off; no scraper attached\n");
    out.append(
        String.format(
            Locale.ROOT,
            "- Rounds: %d warm-up + %d measured per workload, each running the job on both nodes,"
                + " alternating which goes first; every result is checked against the sequential"
                + " one%n",
            warmups,
            rounds));
    out.append(MachineInfo.loadLine(meter, loadBefore, started));
    out.append("| Pipeline | Workload | Metrics off | Metrics on | Throughput on ÷ off | Cost |\n");
    out.append("|---|---|---:|---:|---:|---:|\n");
    rows.forEach(r -> out.append(r).append('\n'));
    out.append(
        "\nTimes are medians. The ratio is the job's time with metrics off ÷ with metrics on in the"
            + " same round, median (min–max); the cost is 1 − that median (negative: within"
            + " noise, metrics on happened to be faster).\n");
    System.out.print(out);
  }

  private static TroupeNode node(String name, Path work, boolean metrics) throws Exception {
    TroupeNode node =
        TroupeNode.start(
            name,
            ConfigFactory.parseString(
                "troupe.persistence.h2.file = \""
                    + work.resolve(name + "-" + System.currentTimeMillis())
                    + "\"\ntroupe.jobs.workers-per-node = 2"
                    + "\npekko.remote.artery.canonical.port = 0"
                    + "\ntroupe.metrics.enabled = "
                    + (metrics ? "on" : "off")),
            Pipelines.load(),
            TroupeNode.Membership.SELF);
    node.whenUp().toCompletableFuture().get(2, TimeUnit.MINUTES);
    return node;
  }

  private static long time(TroupeNode node, String jobId, PipelineCase c, String expected)
      throws Exception {
    System.gc();
    long start = System.nanoTime();
    JsonNode result = PipelineBench.runJob(node, jobId, c);
    long nanos = System.nanoTime() - start;
    if (!PipelineBench.canonical(result).equals(expected)) {
      throw new IllegalStateException(c.name() + " computed a wrong result: " + result);
    }
    return nanos;
  }
}
