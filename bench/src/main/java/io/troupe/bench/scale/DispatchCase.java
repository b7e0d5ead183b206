package io.troupe.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.bench.scale.ScaleOptions.Setup;
import io.troupe.cluster.JobClient;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.examples.primes.PrimesSequential;
import io.troupe.examples.primes.SegmentedSieve;
import io.troupe.persistence.JobSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * One job case of {@link ScaleBench}, run in a JVM of its own: starts the nodes, runs a warm-up
 * job, measures the baseline live heap, then runs {@code primes --limit size×1000 --segment 1000}
 * and prints one {@link CaseResult} line on stdout.
 *
 * <p>Implementation notes: the job's wall time runs from just before {@link JobClient#start} to the
 * moment {@link JobClient#awaitCompletion} answers. While it runs, this thread polls the job's
 * status every 100 ms and takes a live-heap reading (a full GC) once the job is planned and when a
 * quarter, half and three quarters of its items are complete, and one at the end, before the
 * coordinator's completed-job retention lets it go. The full-GC pauses taken while the job ran are
 * reported, and the items/s figure leaves them out. Everything here uses the runtime's public entry
 * points ({@link TroupeNode}, {@link JobClient}, {@link JobStatus}) and config keys, so the case
 * keeps working while the runtime underneath changes.
 */
public final class DispatchCase {

  /** Numbers per item: one item sieves 1,000 numbers, a few microseconds. */
  static final long SEGMENT = 1_000;

  /** π(10^k), the number of primes up to 10^k, for k = 3 … 13. */
  private static final long[] PI_POWERS_OF_TEN = {
    168L,
    1_229L,
    9_592L,
    78_498L,
    664_579L,
    5_761_455L,
    50_847_534L,
    455_052_511L,
    4_118_054_813L,
    37_607_912_018L,
    346_065_536_839L
  };

  private static final double[] MARKS = {0.25, 0.5, 0.75};

  private static final TimeUnit NANOS = TimeUnit.NANOSECONDS;

  private DispatchCase() {}

  /**
   * Runs the case.
   *
   * @param args {@code --setup NAME --size N --timeout SECONDS --warmup N --work DIR [--pg-url
   *     URL]}
   */
  public static void main(String[] args) {
    // Start logging before the actor systems do, so SLF4J has nothing to replay.
    LoggerFactory.getILoggerFactory();
    Map<String, String> a = CaseResult.arguments(args);
    Setup setup = Setup.of(a.get("--setup"));
    long size = Long.parseLong(a.get("--size"));
    Duration timeout = Duration.ofSeconds(Long.parseLong(a.get("--timeout")));
    long warmup = Long.parseLong(a.get("--warmup"));
    String work = a.get("--work");
    String pgUrl = a.getOrDefault("--pg-url", "");
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("setup", setup.option());
    out.put("size", size);
    List<TroupeNode> nodes = new ArrayList<>();
    boolean clean = false;
    try {
      nodes.addAll(start(setup, Math.max(size, warmup) + 1, work, pgUrl));
      clean = run(nodes.get(0), pipeline(setup), size, timeout, warmup, out);
    } catch (Exception e) {
      out.put(CaseResult.OUTCOME, CaseResult.FAILED);
      out.put("detail", e.toString());
    }
    CaseResult.print(out);
    if (clean) {
      for (int i = nodes.size() - 1; i >= 0; i--) {
        nodes.get(i).close();
      }
      System.exit(0);
    }
    // A job still running (timed out) or a node in trouble would make a clean stop slow.
    Runtime.getRuntime().halt(0);
  }

  /** The pipeline the setup runs: {@code primes}, or the same items listed. */
  private static String pipeline(Setup setup) {
    return setup == Setup.LISTED ? ListedPrimes.NAME : "primes";
  }

  private static boolean run(
      TroupeNode node, String pipeline, long size, Duration timeout, long warmup, ObjectNode out)
      throws Exception {
    JobClient client = new JobClient(node.system(), timeout.plusMinutes(1));
    if (warmup > 0) {
      String id = "scale-warmup";
      client.start(spec(id, pipeline, warmup)).toCompletableFuture().get(10, TimeUnit.MINUTES);
      JobStatus w = client.awaitCompletion(id, Duration.ofMinutes(10)).toCompletableFuture().get();
      if (!"completed".equals(w.state())) {
        throw new IllegalStateException("the warm-up job ended " + w.state() + ": " + w.error());
      }
    }
    out.put("sieveNanosPerItem", sieveNanosPerItem(size * SEGMENT));
    LiveHeap.Reading baseline = LiveHeap.measure();
    out.put("baselineBytes", baseline.bytes());
    out.put("fromGcInfo", baseline.fromGcInfo());
    ArrayNode samples = out.putArray("samples");

    String id = "scale-" + size;
    // The primes plan's size; a runtime that answers before it has planned everything may not
    // know it yet.
    long items = size + 1;
    out.put("items", items);
    long deadline = System.nanoTime() + timeout.toNanos();
    AtomicLong doneAt = new AtomicLong();
    try (HeapWatch watch = HeapWatch.start()) {
      watch.at("planning");
      CaseResult.progress("while planning");
      long t0 = System.nanoTime();
      CompletableFuture<JobStatus> starting =
          client.start(spec(id, pipeline, size)).toCompletableFuture();
      // Read the heap while the job is planned and recorded too, as often as keeps those pauses
      // to about a fifth of the time.
      long pauses = 0;
      long interval = 1_000_000_000L;
      JobStatus started = null;
      while (started == null) {
        try {
          started = starting.get(Math.min(interval, Math.max(1, left(deadline))), NANOS);
        } catch (TimeoutException e) {
          if (left(deadline) <= 0) {
            return timedOut(out, timeout, 0, items, 0, samples, baseline.bytes());
          }
          long pause = sample(samples, "planning", 0, items);
          pauses += pause;
          interval = Math.max(interval, 4 * pause);
        }
      }
      out.put("plannedNanos", System.nanoTime() - t0 - pauses);
      CompletableFuture<JobStatus> done =
          client
              // The loop below enforces the deadline; this ask must not end first.
              .awaitCompletion(id, Duration.ofNanos(Math.max(1, left(deadline))).plusMinutes(1))
              .toCompletableFuture()
              .whenComplete((st, e) -> doneAt.compareAndSet(0, System.nanoTime()));
      watch.at("planned");
      CaseResult.progress("once planned");
      pauses += sample(samples, "planned", started.completed(), items);
      int mark = 0;
      long lastLog = System.nanoTime();
      long completed = started.completed();
      while (!done.isDone()) {
        if (System.nanoTime() > deadline) {
          long ran = System.nanoTime() - t0 - pauses;
          return timedOut(out, timeout, completed, items, ran, samples, baseline.bytes());
        }
        Thread.sleep(100);
        try {
          JobStatus st = client.status(id, Duration.ofSeconds(5)).toCompletableFuture().get();
          completed = st.completed();
        } catch (ExecutionException e) {
          continue; // a busy coordinator answers late; the next poll asks again
        }
        String percent = Math.round(100.0 * completed / items) + "%";
        if (!percent.equals(watch.where())) {
          watch.at(percent);
          CaseResult.progress("at " + percent + " complete");
        }
        if (mark < MARKS.length && completed >= MARKS[mark] * items && !done.isDone()) {
          pauses += sample(samples, percent, completed, items);
          while (mark < MARKS.length && completed >= MARKS[mark] * items) {
            mark++;
          }
        }
        if (System.nanoTime() - lastLog > 15_000_000_000L) {
          lastLog = System.nanoTime();
          System.err.printf(
              Locale.ROOT,
              "    %s: %,d of %,d items after %.0f s%n",
              id,
              completed,
              items,
              (lastLog - t0) / 1e9);
        }
      }
      watch.at("end");
      CaseResult.progress("at the end");
      JobStatus end = done.get();
      out.put("wallNanos", doneAt.get() - t0);
      sample(samples, "end", end.completed(), items);
      out.put("samplePauseNanos", pauses);
      out.put("fullCollections", watch.fullCollections());
      out.put("watchPeakBytes", watch.peakBytes());
      out.put("watchPeakAt", watch.peakAt());
      return finish(end, size, items, out);
    }
  }

  private static boolean finish(JobStatus end, long size, long items, ObjectNode out) {
    out.put("state", end.state());
    out.put("completed", end.completed());
    out.put("quarantined", end.quarantined());
    if (end.error() != null) {
      out.put("error", end.error());
    }
    if (end.report() != null) {
      out.put("reportWallMs", end.report().path("wallMs").asLong());
      out.put("reportItemsPerSec", end.report().path("itemsPerSec").asDouble());
    }
    long count = end.result() == null ? -1 : end.result().path("count").asLong(-1);
    long expected = expectedCount(size * SEGMENT);
    out.put("count", count);
    out.put("expected", expected);
    out.put(
        "exact",
        "completed".equals(end.state())
            && count == expected
            && end.items() == items
            && end.completed() == items
            && end.quarantined() == 0);
    out.put(CaseResult.OUTCOME, CaseResult.OK);
    return true;
  }

  private static long left(long deadline) {
    return deadline - System.nanoTime();
  }

  private static boolean timedOut(
      ObjectNode out,
      Duration timeout,
      long completed,
      long items,
      long ranNanos,
      ArrayNode samples,
      long baseline) {
    long peak = baseline;
    for (JsonNode sample : samples) {
      peak = Math.max(peak, sample.path("bytes").asLong());
    }
    out.put(CaseResult.OUTCOME, CaseResult.TIMEOUT);
    out.put(
        "detail",
        String.format(
            Locale.ROOT,
            "timed out after %d s (%,d of %,d items complete%s; live heap so far up to %.0f MiB"
                + " over the baseline)",
            timeout.toSeconds(),
            completed,
            items,
            ranNanos > 0
                ? String.format(Locale.ROOT, ", %,.0f items/s", completed / (ranNanos / 1e9))
                : "",
            (peak - baseline) / 1048576.0));
    return false;
  }

  /** Takes a live-heap reading into {@code samples}; returns its pause. */
  private static long sample(ArrayNode samples, String label, long completed, long items) {
    LiveHeap.Reading r = LiveHeap.measure();
    samples
        .addObject()
        .put("at", label)
        .put("completed", completed)
        .put("bytes", r.bytes())
        .put("pauseNanos", r.pauseNanos());
    System.err.printf(
        Locale.ROOT,
        "    heap at %s (%,d of %,d items complete): %,.1f MiB live, full GC %.0f ms%n",
        label,
        completed,
        items,
        r.bytes() / 1048576.0,
        r.pauseNanos() / 1e6);
    return r.pauseNanos();
  }

  private static JobSpec spec(String id, String pipeline, long size) {
    return new JobSpec(
        id,
        pipeline,
        List.of("--limit", Long.toString(size * SEGMENT), "--segment", Long.toString(SEGMENT)));
  }

  /**
   * One thread's time to sieve one item, over 2,000 items spread evenly across the job's range (the
   * cost grows with the range, as the base primes do): the fastest of five passes, so the first
   * passes compile the sieve and a busy machine's worst moments drop out.
   */
  static double sieveNanosPerItem(long limit) {
    int[] base = SegmentedSieve.basePrimes(limit);
    int n = 2_000;
    long step = Math.max(1, limit / SEGMENT / n) * SEGMENT;
    long sink = 0;
    double best = Double.MAX_VALUE;
    for (int pass = 0; pass < 5; pass++) {
      long t0 = System.nanoTime();
      int sieved = 0;
      for (long lo = 0; lo <= limit && sieved < n; lo += step) {
        sink += SegmentedSieve.count(lo, Math.min(limit, lo + SEGMENT - 1), base).count();
        sieved++;
      }
      best = Math.min(best, (double) (System.nanoTime() - t0) / sieved);
    }
    if (sink < 0) {
      throw new AssertionError("negative prime count");
    }
    return best;
  }

  /** π(limit), from the table for powers of ten, else from the sequential reference. */
  static long expectedCount(long limit) {
    long p = 1_000;
    for (long pi : PI_POWERS_OF_TEN) {
      if (p == limit) {
        return pi;
      }
      p *= 10;
    }
    return PrimesSequential.run(limit, 1L << 22).count();
  }

  /** Starts the setup's nodes; the first is where jobs are submitted. */
  private static List<TroupeNode> start(Setup setup, long maxItems, String work, String pgUrl)
      throws Exception {
    Map<String, Object> keys = new HashMap<>();
    keys.put("troupe.jobs.workers-per-node", 2);
    // The default (1,000,000) would refuse the larger jobs at planning.
    keys.put("troupe.jobs.max-items", Math.max(1_000_000L, maxItems));
    keys.put("pekko.loglevel", "WARNING");
    switch (setup) {
      case H2, LISTED, THREE -> {
        keys.put("troupe.persistence.journal", "h2");
        keys.put("troupe.persistence.h2.file", work + "/ledger");
      }
      case MEMORY -> keys.put("troupe.persistence.journal", "memory");
      case POSTGRES -> {
        keys.put("troupe.persistence.journal", "postgres");
        keys.put("troupe.persistence.postgres.url", pgUrl);
        keys.put("troupe.persistence.postgres.user", "postgres");
        keys.put("troupe.persistence.postgres.password", "");
      }
    }
    Config config = ConfigFactory.parseMap(keys);
    String name = "scale";
    List<TroupeNode> nodes = new ArrayList<>();
    TroupeNode first = TroupeNode.start(name, config, Pipelines.load(), TroupeNode.Membership.SELF);
    nodes.add(first);
    first.whenUp().toCompletableFuture().get(2, TimeUnit.MINUTES);
    if (setup == Setup.THREE) {
      Config joining =
          ConfigFactory.parseString(
                  "pekko.cluster.seed-nodes = [\"pekko://" + name + "@" + first.address() + "\"]")
              .withFallback(config);
      for (int i = 1; i < 3; i++) {
        nodes.add(TroupeNode.start(name, joining, Pipelines.load(), TroupeNode.Membership.SEEDS));
      }
      for (TroupeNode node : nodes) {
        node.whenUp().toCompletableFuture().get(2, TimeUnit.MINUTES);
      }
    }
    return nodes;
  }
}
