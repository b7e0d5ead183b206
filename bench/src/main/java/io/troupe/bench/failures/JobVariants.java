package io.troupe.bench.failures;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.ParsedPipeline;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.persistence.JobSpec;
import io.troupe.sdk.Confinement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The job case: {@link FlakyPipeline} on embedded nodes, as {@code troupe run} runs it (H2 file
 * ledger, 2 workers). One node has the shipped settings; a second one retries failed items after 1
 * ms instead of {@code troupe.jobs.retry-backoff}'s shipped 50 ms doubling. A node whose job did
 * not finish in time is replaced, so the job cannot slow down the runs after it.
 */
final class JobVariants implements AutoCloseable {

  static final int ITEMS = 10_000;
  static final int MIX = 20_000;
  static final int EVERY = 50;

  private final Path work;
  private final Node shipped;
  private final Node fastRetry;
  private int jobs;

  private JobVariants(Path work) {
    this.work = work;
    this.shipped = new Node("bench-failures", "");
    this.fastRetry =
        new Node("bench-failures-fast-retry", "troupe.jobs.retry-backoff { min = 1ms, max = 1ms }");
  }

  static JobVariants start() throws Exception {
    return new JobVariants(
        Files.createDirectories(Path.of("bench", "target", "failures").toAbsolutePath()));
  }

  String description() {
    return String.format(
        Locale.ROOT,
        "Job: `flaky --items %,d --mix %,d` (items of ~%s of CPU) on an embedded node"
            + " (`troupe run`'s path, H2 file ledger, 2 workers, shipped settings); with failures"
            + " `--always %d --once %d`: %,d items (2%%) throw on every attempt and are"
            + " quarantined after 3, %,d (2%%) throw on their first attempt only; clean `--always 0"
            + " --once 0`. \"fast retry\" runs the failing job on a node with"
            + " `troupe.jobs.retry-backoff` 1 ms instead of the shipped 50 ms doubling",
        ITEMS,
        MIX,
        itemCost(),
        EVERY,
        EVERY,
        ITEMS / EVERY,
        ITEMS / EVERY);
  }

  private static String itemCost() {
    for (int i = 0; i < 2_000; i++) {
      FlakyPipeline.mix(i, MIX);
    }
    long start = System.nanoTime();
    long sink = 0;
    for (int i = 0; i < 2_000; i++) {
      sink += FlakyPipeline.mix(i, MIX);
    }
    long micros = (System.nanoTime() - start) / 2_000 / 1_000;
    // Printing the sink keeps the JIT from dropping the loop; it is almost never 42.
    return sink == 42 ? micros + " µs (42)" : micros + " µs";
  }

  FailuresBench.Variant clean() {
    return variant("clean", shipped, List.of("--always", "0", "--once", "0"));
  }

  FailuresBench.Variant failing() {
    return variant("with failures", shipped, failingArgs());
  }

  FailuresBench.Variant failingFastRetry() {
    return variant("with failures, fast retry", fastRetry, failingArgs());
  }

  private static List<String> failingArgs() {
    return List.of("--always", String.valueOf(EVERY), "--once", String.valueOf(EVERY));
  }

  private static JsonNode expected(FlakyPipeline pipeline, List<String> args) {
    try {
      return ParsedPipeline.parse(pipeline, args, Confinement.local()).sequential().orElseThrow();
    } catch (Exception e) {
      throw new IllegalStateException("the sequential reference failed", e);
    }
  }

  private FailuresBench.Variant variant(String label, Node node, List<String> options) {
    List<String> args =
        List.of(
            "--items",
            String.valueOf(ITEMS),
            "--mix",
            String.valueOf(MIX),
            options.get(0),
            options.get(1),
            options.get(2),
            options.get(3));
    FlakyPipeline pipeline = new FlakyPipeline();
    FlakyPipeline.Options parsed = pipeline.parse(args);
    JsonNode expected = expected(pipeline, args);
    long quarantined =
        java.util.stream.IntStream.range(0, ITEMS)
            .filter(i -> FlakyPipeline.alwaysFails(parsed, i))
            .count();
    // Fails early on a typo.
    ParsedPipeline.parse(Pipelines.load().get("flaky"), args, Confinement.local());
    return new FailuresBench.Variant() {
      @Override
      public String label() {
        return label;
      }

      @Override
      public long run(Duration timeout) throws Exception {
        TroupeNode n = node.get();
        String jobId = "bench-flaky-" + (++jobs);
        long start = System.nanoTime();
        n.jobs()
            .start(new JobSpec(jobId, "flaky", args))
            .toCompletableFuture()
            .get(1, TimeUnit.MINUTES);
        JobStatus done;
        try {
          long left = timeout.toNanos() - (System.nanoTime() - start);
          done =
              n.jobs()
                  .awaitCompletion(jobId, Duration.ofNanos(Math.max(1, left)))
                  .toCompletableFuture()
                  .get(left + TimeUnit.MINUTES.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() - start >= timeout.toNanos()) {
            String progress = progress(n, jobId);
            node.replace();
            throw new TimeoutException(progress);
          }
          throw e;
        }
        long nanos = System.nanoTime() - start;
        String state = quarantined == 0 ? "completed" : "completed_with_failures";
        JsonNode result = done.result();
        if (!state.equals(done.state())
            || done.quarantined() != quarantined
            || result == null
            || !result.get("sum").equals(expected.get("sum"))
            || !result.get("items").equals(expected.get("items"))) {
          throw new IllegalStateException(
              jobId + " ended " + done.state() + " with " + result + ", expected " + expected);
        }
        System.err.printf(
            Locale.ROOT,
            "    %s: %d failed attempts, %d quarantined%n",
            jobId,
            done.failedAttempts(),
            done.quarantined());
        return nanos;
      }
    };
  }

  /** Describes how far a job got, for the report of a run that did not finish. */
  private static String progress(TroupeNode node, String jobId) {
    try {
      JobStatus s = node.jobs().status(jobId).toCompletableFuture().get(30, TimeUnit.SECONDS);
      return String.format(
          Locale.ROOT,
          "%,d of %,d items completed, %,d quarantined, %,d failed attempts",
          s.completed(),
          s.items(),
          s.quarantined(),
          s.failedAttempts());
    } catch (Exception e) {
      return "progress unknown: " + e;
    }
  }

  @Override
  public void close() {
    shipped.close();
    fastRetry.close();
  }

  /** An embedded node, started on first use and replaced after a run that did not finish. */
  private final class Node implements AutoCloseable {
    private final String name;
    private final String config;
    private TroupeNode node;
    private int incarnation;

    Node(String name, String config) {
      this.name = name;
      this.config = config;
    }

    TroupeNode get() throws Exception {
      if (node == null) {
        String id = name + "-" + (++incarnation) + "-" + System.currentTimeMillis();
        node =
            TroupeNode.start(
                name,
                ConfigFactory.parseString(
                    "troupe.persistence.h2.file = \""
                        + work.resolve(id)
                        + "\"\ntroupe.jobs.workers-per-node = 2"
                        + "\npekko.remote.artery.canonical.port = 0\n"
                        + config),
                Pipelines.load(),
                TroupeNode.Membership.SELF);
        node.whenUp().toCompletableFuture().get(2, TimeUnit.MINUTES);
      }
      return node;
    }

    void replace() {
      close();
    }

    @Override
    public void close() {
      if (node != null) {
        node.close();
        node = null;
      }
    }
  }
}
