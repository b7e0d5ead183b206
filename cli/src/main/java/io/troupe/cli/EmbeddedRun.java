package io.troupe.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.http.MetricsRoutes;
import io.troupe.cluster.internal.JobIds;
import io.troupe.cluster.internal.ParsedPipeline;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.cluster.metrics.TroupeMetrics;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.internal.PersistenceSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One {@code troupe run}: starts an embedded single-node cluster whose ledger is an H2 file under
 * {@code data/runs/}, starts (or resumes) the job, shows progress, waits for the end, and stops the
 * node. The ledger of a job that completed is deleted unless asked to keep it; that of an
 * interrupted job stays, so the job can be resumed.
 */
final class EmbeddedRun {

  /** Where {@code troupe run} keeps job ledgers, relative to the working directory. */
  static final Path RUNS = Path.of("data", "runs");

  private final ParsedPipeline parsed;
  private final Config application;
  private final String resume;
  private final boolean keepLedger;
  private final PrintWriter err;
  private final boolean progress;
  private final Integer metricsPort;

  EmbeddedRun(
      ParsedPipeline parsed,
      Config application,
      Integer workers,
      String resume,
      boolean keepLedger,
      PrintWriter err,
      boolean progress,
      Integer metricsPort) {
    this.parsed = parsed;
    this.application = application;
    this.resume = resume;
    this.keepLedger = keepLedger;
    this.err = err;
    this.progress = progress;
    this.metricsPort = metricsPort;
  }

  JobStatus execute() throws Exception {
    String name = parsed.pipeline().name();
    String jobId = resume != null ? resume : JobIds.next(name);
    Config base = application.withFallback(ConfigFactory.defaultReference()).resolve();
    boolean h2 = PersistenceSettings.create(base).journal() == PersistenceSettings.Journal.H2;
    Path ledger = RUNS.resolve(jobId).toAbsolutePath();
    // A cluster of one: no peers to spare from chatter, so act on membership changes quickly;
    // leaving at the end then takes a fraction of a second instead of a couple.
    Config config =
        application.withFallback(
            ConfigFactory.parseMap(
                Map.of(
                    "pekko.cluster.gossip-interval",
                    "100ms",
                    "pekko.cluster.leader-actions-interval",
                    "100ms",
                    "pekko.cluster.unreachable-nodes-reaper-interval",
                    "250ms",
                    // Nobody to hand a singleton over to: don't wait a second for a taker.
                    "pekko.cluster.singleton.hand-over-retry-interval",
                    "100ms",
                    "pekko.cluster.sharding.coordinator-singleton.hand-over-retry-interval",
                    "100ms")));
    if (h2) {
      config =
          ConfigFactory.parseMap(Map.of("troupe.persistence.h2.file", ledger.toString()))
              .withFallback(config);
      if (resume != null && !Files.exists(Path.of(ledger + ".mv.db"))) {
        throw new UsageException(
            "no ledger for job "
                + jobId
                + " in "
                + RUNS.toAbsolutePath()
                + " (run from the"
                + " directory the job was started in; a completed job's ledger is deleted)");
      }
    }
    if (resume == null) {
      err.println(
          "troupe: job "
              + jobId
              + " (if interrupted, continue with: troupe run "
              + name
              + " --resume "
              + jobId
              + ")");
    } else {
      if (!parsed.args().isEmpty()) {
        err.println(
            "troupe: resuming "
                + jobId
                + "; its options come from its ledger, not"
                + " from this command line");
      }
    }
    err.flush();
    JobStatus last;
    try (TroupeNode node =
        TroupeNode.start("troupe", config, Pipelines.load(), TroupeNode.Membership.SELF)) {
      node.whenUp().toCompletableFuture().get(2, TimeUnit.MINUTES);
      if (metricsPort != null) {
        serveMetrics(node, metricsPort);
      }
      try {
        JobStatus started =
            (resume == null
                    ? node.jobs().start(new JobSpec(jobId, name, parsed.args()))
                    : node.jobs().resume(jobId))
                .toCompletableFuture()
                .get();
        if (resume != null && !started.pipeline().equals(name)) {
          throw new UsageException(
              "job " + jobId + " ran pipeline " + started.pipeline() + ", not " + name);
        }
      } catch (ExecutionException e) {
        String why = e.getCause() == null ? e.toString() : e.getCause().getMessage();
        if (resume != null && why != null && why.startsWith("there is no job")) {
          throw new UsageException(why);
        }
        return new JobStatus(jobId, name, JobStatus.FAILED, 0, 0, 0, 0, 0, null, null, why);
      }
      last = await(node, jobId);
    }
    if (h2 && !keepLedger && last.isFinal() && !JobStatus.FAILED.equals(last.state())) {
      deleteLedger(ledger);
    }
    return last;
  }

  /** Serves {@code /metrics} on loopback until the node stops; a port in use is a usage error. */
  private void serveMetrics(TroupeNode node, int port) throws InterruptedException {
    if (!TroupeMetrics.get(node.system()).enabled()) {
      throw new UsageException(
          "--metrics-port: metrics are off in the config (troupe.metrics.enabled = off)");
    }
    try {
      MetricsRoutes.serve(node.system(), "127.0.0.1", port)
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      Throwable why = e.getCause() == null ? e : e.getCause();
      throw new UsageException(
          "--metrics-port: cannot listen on 127.0.0.1:" + port + ": " + why.getMessage());
    }
    err.println("troupe: metrics at http://127.0.0.1:" + port + "/metrics");
    err.flush();
  }

  private JobStatus await(TroupeNode node, String jobId) throws Exception {
    ProgressBar bar = progress ? new ProgressBar(err) : null;
    while (true) {
      JobStatus status = node.jobs().status(jobId).toCompletableFuture().get(1, TimeUnit.MINUTES);
      if (status.isFinal()) {
        if (bar != null) {
          bar.clear();
        }
        return status;
      }
      if (bar != null) {
        bar.update(status);
      }
      Thread.sleep(200);
    }
  }

  private void deleteLedger(Path ledger) {
    for (String suffix : new String[] {".mv.db", ".trace.db"}) {
      try {
        Files.deleteIfExists(Path.of(ledger + suffix));
      } catch (IOException e) {
        err.println("troupe: could not delete the ledger " + ledger + suffix + ": " + e);
      }
    }
  }
}
