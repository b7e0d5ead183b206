package io.troupe.bench.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.troupe.bench.CpuMeter;
import io.troupe.bench.MachineInfo;
import io.troupe.bench.Report;
import io.troupe.bench.Stats;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.ParsedPipeline;
import io.troupe.cluster.internal.PipelineSettings;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.examples.wordcount.CorpusGenerator;
import io.troupe.persistence.JobSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Benchmarks the example pipelines: each as a Troupe job on an embedded node (two workers, the H2
 * file ledger, exactly the {@code troupe run} path) against its sequential reference and the JDK's
 * parallel streams over the same kernel, alternating the three in every round. Prints a Markdown
 * table on stdout; progress goes to stderr.
 *
 * <p>Options: {@code --quick} (3 warm-up + 5 measured rounds instead of 5 + 7), {@code --rounds N},
 * {@code --only NAME[,NAME]}, {@code --workers N} (default 2).
 */
public final class PipelineBench {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PipelineBench() {}

  /** Runs the benchmark. */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    int rounds = -1;
    int workers = 2;
    List<String> only = List.of();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        case "--only" -> only = Arrays.asList(args[++i].split(","));
        default -> {
          System.err.println("pipelines: unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    // The job path runs much more code than a kernel loop (actors, sharding, the ledger), and it
    // takes a few jobs before the JIT has compiled it: warm up longer than a micro benchmark.
    int warmups = quick ? 3 : 5;
    if (rounds < 0) {
      rounds = quick ? 5 : 7;
    }
    Path work = Files.createDirectories(Path.of("bench", "target", "pipelines").toAbsolutePath());
    Path corpus = work.resolve("corpus-256MB-seed42.txt");
    long corpusSize = 256L << 20;
    if (!Files.isRegularFile(corpus) || Files.size(corpus) != corpusSize) {
      System.err.println("pipelines: generating the 256 MB corpus...");
      CorpusGenerator.generate(corpus, corpusSize, 42);
    }
    List<PipelineCase> cases = new ArrayList<>();
    cases.add(
        new PipelineCase(
            "wordcount",
            "256 MB generated corpus, 4 MB chunks (64 items)",
            List.of("--input", corpus.toString(), "--chunk-size", "4MB"),
            "parallel stream of chunks",
            () -> ParallelStreams.wordcount(corpus, 4L << 20, 20)));
    cases.add(
        new PipelineCase(
            "primes",
            "primes <= 10^9, 2^22-number segments (239 items)",
            List.of("--limit", "1000000000"),
            "parallel stream of segments",
            () -> ParallelStreams.primes(1_000_000_000L, 1L << 22)));
    cases.add(
        new PipelineCase(
            "montecarlo",
            "10^8 paths, 10^6 per batch (100 items)",
            List.of("--paths", "100000000", "--batch", "1000000"),
            "parallel stream of batches",
            () -> ParallelStreams.montecarlo(100_000_000L, 42, 1_000_000L)));
    if (!only.isEmpty()) {
      List<String> wanted = only;
      cases.removeIf(c -> !wanted.contains(c.name()));
    }

    MachineInfo machine = MachineInfo.capture();
    String loadBefore = MachineInfo.loadAverage();
    CpuMeter meter = CpuMeter.start();
    long started = System.nanoTime();
    Path ledger = work.resolve("ledger-" + System.currentTimeMillis());
    List<String> rows = new ArrayList<>();
    try (TroupeNode node =
        TroupeNode.start(
            "bench",
            ConfigFactory.parseString(
                    "troupe.persistence.h2.file = \""
                        + ledger
                        + "\"\ntroupe.jobs.workers-per-node = "
                        + workers)
                // The corpus is under the working directory: the local user's policy.
                .withFallback(PipelineSettings.LOCAL),
            Pipelines.load(),
            TroupeNode.Membership.SELF)) {
      node.whenUp().toCompletableFuture().get(2, TimeUnit.MINUTES);
      int job = 0;
      for (PipelineCase c : cases) {
        ParsedPipeline parsed = c.parsed();
        parsed.prepare();
        String expected = canonical(parsed.sequential().orElseThrow());
        List<Long> troupe = new ArrayList<>();
        List<Long> sequential = new ArrayList<>();
        List<Long> streams = new ArrayList<>();
        for (int round = 0; round < warmups + rounds; round++) {
          String jobId = "bench-" + c.name() + "-" + (++job);
          Callable<JsonNode> runJob = () -> runJob(node, jobId, c);
          long t = time(runJob, expected, c.name() + " Troupe");
          long s =
              time(() -> parsed.sequential().orElseThrow(), expected, c.name() + " sequential");
          long p = time(c.parallelStreams(), expected, c.name() + " parallel streams");
          boolean measured = round >= warmups;
          System.err.printf(
              Locale.ROOT,
              "  %s %s %d: Troupe %s, sequential %s, parallel streams %s%n",
              c.name(),
              measured ? "round" : "warm-up",
              measured ? round - warmups + 1 : round + 1,
              Report.millis(t),
              Report.millis(s),
              Report.millis(p));
          if (measured) {
            troupe.add(t);
            sequential.add(s);
            streams.add(p);
          }
        }
        rows.add(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %s |",
                c.name(),
                c.workload(),
                Report.millis(Stats.median(sequential)),
                Report.millis(Stats.median(streams)),
                Report.millis(Stats.median(troupe)),
                Report.ratio(Stats.ratios(sequential, troupe)),
                Report.ratio(Stats.ratios(streams, troupe))));
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("### Pipelines: Troupe jobs vs sequential and JDK parallel streams\n\n");
    out.append(machine.markdownLines());
    out.append(
        String.format(
            Locale.ROOT,
            "- Troupe: an embedded node (`troupe run`'s path: sharded coordinator, H2 file ledger),"
                + " %d workers; time from submitting the job to its completion, node start-up"
                + " excluded%n",
            workers));
    out.append(
        String.format(
            Locale.ROOT,
            "- Rounds: %d warm-up + %d measured per pipeline, each round running Troupe,"
                + " sequential, parallel streams in turn; every result is checked against the"
                + " sequential one%n",
            warmups,
            rounds));
    out.append(MachineInfo.loadLine(meter, loadBefore, started));
    out.append(
        "| Pipeline | Workload | Sequential | Parallel streams | Troupe | Troupe speedup over"
            + " sequential | Troupe vs parallel streams |\n");
    out.append("|---|---|---:|---:|---:|---:|---:|\n");
    rows.forEach(r -> out.append(r).append('\n'));
    out.append(
        "\nTimes are medians. A ratio is the other variant's time ÷ Troupe's time in the same"
            + " round, median (min–max); above 1× Troupe is faster.\n");
    System.out.print(out);
  }

  static JsonNode runJob(TroupeNode node, String jobId, PipelineCase c) throws Exception {
    node.jobs()
        .start(new JobSpec(jobId, c.name(), c.args()))
        .toCompletableFuture()
        .get(10, TimeUnit.MINUTES);
    JobStatus done =
        node.jobs()
            .awaitCompletion(jobId, Duration.ofMinutes(30))
            .toCompletableFuture()
            .get(31, TimeUnit.MINUTES);
    if (!"completed".equals(done.state())) {
      throw new IllegalStateException(jobId + " ended " + done.state() + ": " + done.error());
    }
    return done.result();
  }

  private static long time(Callable<JsonNode> run, String expected, String what) throws Exception {
    System.gc();
    long start = System.nanoTime();
    JsonNode result = run.call();
    long nanos = System.nanoTime() - start;
    if (!canonical(result).equals(expected)) {
      throw new IllegalStateException(what + " computed a wrong result: " + result);
    }
    return nanos;
  }

  /** Returns a result as canonical JSON text, for comparing results. */
  static String canonical(JsonNode node) throws Exception {
    return JSON.writeValueAsString(JSON.treeToValue(node, Object.class));
  }
}
