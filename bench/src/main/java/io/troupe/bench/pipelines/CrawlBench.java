package io.troupe.bench.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.troupe.bench.CpuMeter;
import io.troupe.bench.MachineInfo;
import io.troupe.bench.Report;
import io.troupe.bench.Stats;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.ParsedPipeline;
import io.troupe.cluster.internal.PipelineSettings;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.examples.crawl.SiteGenerator;
import io.troupe.examples.crawl.SiteServer;
import io.troupe.sdk.Confinement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Benchmarks crawl, concurrent I/O: a generated 2,000-page site served on loopback by a server that
 * answers every request after 50 ms (standing in for a remote site), crawled by the sequential
 * reference (one request at a time) and by Troupe jobs on an embedded node with two concurrency
 * settings, in turn in every round. Every result is checked against the site generator's figures.
 *
 * <p>Options: {@code --quick} (1 round instead of 5), {@code --rounds N}, {@code --pages N}, {@code
 * --latency-ms N}.
 */
public final class CrawlBench {

  private CrawlBench() {}

  private record Variant(String label, List<String> args) {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    int rounds = 5;
    int pages = 2000;
    int latencyMs = 50;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> rounds = 1;
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--pages" -> pages = Integer.parseInt(args[++i]);
        case "--latency-ms" -> latencyMs = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("crawl: unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    Path work = Files.createDirectories(Path.of("bench", "target", "crawl").toAbsolutePath());
    Path site = work.resolve("site-" + pages);
    SiteGenerator generator = SiteGenerator.of(pages, 42);
    generator.write(site);
    JsonNode expected = generator.expected();

    MachineInfo machine = MachineInfo.capture();
    String loadBefore = MachineInfo.loadAverage();
    CpuMeter meter = CpuMeter.start();
    long started = System.nanoTime();
    List<Variant> variants =
        List.of(
            new Variant(
                "Troupe, `--concurrency 64 --per-host 64`",
                List.of("--concurrency", "64", "--per-host", "64")),
            new Variant("Troupe, defaults (`--concurrency 16 --per-host 8`)", List.of()));
    List<List<Long>> times = new ArrayList<>();
    variants.forEach(v -> times.add(new ArrayList<>()));
    List<Long> sequential = new ArrayList<>();
    try (SiteServer server = SiteServer.start(site, Duration.ofMillis(latencyMs), 256);
        TroupeNode node =
            TroupeNode.start(
                "bench",
                ConfigFactory.parseString(
                        "troupe.persistence.h2.file = \""
                            + work.resolve("ledger-" + System.currentTimeMillis())
                            + "\"")
                    // The site is served on loopback: the local user's policy allows it.
                    .withFallback(PipelineSettings.LOCAL),
                Pipelines.load(),
                TroupeNode.Membership.SELF)) {
      node.whenUp().toCompletableFuture().get(2, TimeUnit.MINUTES);
      int job = 0;
      // One warm-up job, so the measured ones do not pay for class loading and the JIT.
      run(node, "bench-crawl-" + ++job, server, variants.get(0).args(), expected);
      for (int round = 1; round <= rounds; round++) {
        for (int v = 0; v < variants.size(); v++) {
          long t = run(node, "bench-crawl-" + ++job, server, variants.get(v).args(), expected);
          times.get(v).add(t);
          System.err.printf(
              Locale.ROOT,
              "  crawl round %d: %s %s%n",
              round,
              variants.get(v).label(),
              Report.millis(t));
        }
        ParsedPipeline parsed =
            ParsedPipeline.parse(
                Pipelines.load().get("crawl"), List.of("--url", server.url()), Confinement.local());
        long start = System.nanoTime();
        check(parsed.sequential().orElseThrow(), expected, "sequential");
        long s = System.nanoTime() - start;
        sequential.add(s);
        System.err.printf(
            Locale.ROOT, "  crawl round %d: sequential %s%n", round, Report.millis(s));
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("### Crawl: concurrent fetches vs one at a time\n\n");
    out.append(machine.markdownLines());
    out.append(
        String.format(
            Locale.ROOT,
            "- Site: `troupe gen site --pages %d --seed 42` (%d pages reached),"
                + " served on 127.0.0.1 by a server that answers every request after %d ms%n",
            pages,
            expected.get("pages").asInt(),
            latencyMs));
    out.append(
        String.format(
            Locale.ROOT,
            "- Troupe: an embedded node (`troupe run`'s path, H2 file ledger); %d round(s) after one"
                + " warm-up job, each running every variant and the sequential reference%n",
            rounds));
    out.append(MachineInfo.loadLine(meter, loadBefore, started));
    out.append("| Variant | Time | Fraction of sequential | Speedup |\n");
    out.append("|---|---:|---:|---:|\n");
    out.append(
        String.format(
            Locale.ROOT,
            "| Sequential reference (blocking client over checked sockets, one request at a time) | %s | 1 | 1× |%n",
            Report.millis(Stats.median(sequential))));
    for (int v = 0; v < variants.size(); v++) {
      List<Double> speedups = Stats.ratios(sequential, times.get(v));
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.3f | %s |%n",
              variants.get(v).label(),
              Report.millis(Stats.median(times.get(v))),
              1 / Stats.median(speedups),
              Report.ratio(speedups)));
    }
    out.append(
        "\nTimes are medians. A speedup is the sequential time ÷ the variant's time in the same"
            + " round, median (min–max).\n");
    System.out.print(out);
  }

  private static long run(
      TroupeNode node, String jobId, SiteServer server, List<String> extra, JsonNode expected)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("--url", server.url()));
    args.addAll(extra);
    PipelineCase c = new PipelineCase("crawl", "", args, "", () -> null);
    long start = System.nanoTime();
    JsonNode result = PipelineBench.runJob(node, jobId, c);
    long nanos = System.nanoTime() - start;
    check(result, expected, jobId);
    return nanos;
  }

  private static void check(JsonNode result, JsonNode expected, String what) {
    for (String field : List.of("pages", "links", "broken", "maxDepth")) {
      if (!result.get(field).equals(expected.get(field))) {
        throw new IllegalStateException(
            what + ": " + field + " " + result.get(field) + ", expected " + expected.get(field));
      }
    }
  }
}
