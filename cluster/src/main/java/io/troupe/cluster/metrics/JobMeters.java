package io.troupe.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one job on one node, per stage: items processed, failed attempts, retries,
 * quarantines, item latency (a histogram), busy time; and the sampled depth of the job's queues.
 *
 * <p>Implementation notes: each instance is used by one actor (the job's host, or its coordinator),
 * so the per-stage cache needs no locking; the meters themselves are Micrometer's and thread-safe.
 * {@link #NONE} records nothing, for nodes with metrics off.
 */
public final class JobMeters {

  /** Meters that record nothing. */
  public static final JobMeters NONE = new JobMeters();

  private static final class Stage {
    final Counter processed;
    final Counter failed;
    final Counter retried;
    final Counter quarantined;
    final Counter busy;
    final Timer latency;

    Stage(MeterRegistry registry, String job, String pipeline, String stage) {
      String[] tags = {"job", job, "pipeline", pipeline, "stage", stage};
      processed =
          Counter.builder("troupe.items.processed")
              .description("Items a worker on this node completed")
              .tags(tags)
              .register(registry);
      failed =
          Counter.builder("troupe.items.failed")
              .description("Attempts that failed on this node (the worker threw or timed out)")
              .tags(tags)
              .register(registry);
      retried =
          Counter.builder("troupe.items.retried")
              .description("Items the job's coordinator on this node handed out again")
              .tags(tags)
              .register(registry);
      quarantined =
          Counter.builder("troupe.items.quarantined")
              .description("Items the job's coordinator on this node gave up on")
              .tags(tags)
              .register(registry);
      busy =
          Counter.builder("troupe.stage.busy")
              .description("Time workers on this node spent processing the stage's items")
              .baseUnit("seconds")
              .tags(tags)
              .register(registry);
      latency =
          Timer.builder("troupe.item.latency")
              .description("From an item's hand-out to its worker's answer, on this node")
              .tags(tags)
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(Duration.ofMinutes(5))
              .register(registry);
    }
  }

  private final MeterRegistry registry;
  private final String job;
  private final String pipeline;
  private final TroupeMetrics metrics;
  private final Map<String, Stage> stages = new HashMap<>();
  private final Map<String, AtomicLong> waiting = new HashMap<>();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong mailbox = new AtomicLong();
  private boolean hostGauges;

  private JobMeters() {
    this.registry = null;
    this.job = "";
    this.pipeline = "";
    this.metrics = null;
  }

  JobMeters(MeterRegistry registry, String job, String pipeline, TroupeMetrics metrics) {
    this.registry = registry;
    this.job = job;
    this.pipeline = pipeline;
    this.metrics = metrics;
  }

  private Stage stage(String name) {
    return stages.computeIfAbsent(name, n -> new Stage(registry, job, pipeline, n));
  }

  /**
   * Records an item a worker on this node completed.
   *
   * @param stage the item's stage
   * @param latencyNanos from hand-out to answer
   * @param serviceNanos time the worker spent on it
   */
  public void completed(String stage, long latencyNanos, long serviceNanos) {
    if (registry == null) {
      return;
    }
    Stage s = stage(stage);
    s.processed.increment();
    s.latency.record(Math.max(0, latencyNanos), TimeUnit.NANOSECONDS);
    s.busy.increment(Math.max(0, serviceNanos) / 1e9);
    metrics.workerBusy(Math.max(0, serviceNanos));
  }

  /** Records a failed attempt of an item of this stage on this node. */
  public void failed(String stage) {
    if (registry != null) {
      stage(stage).failed.increment();
    }
  }

  /** Records that the coordinator handed an item of this stage out again. */
  public void retried(String stage) {
    if (registry != null) {
      stage(stage).retried.increment();
    }
  }

  /** Records that the coordinator gave up on an item of this stage. */
  public void quarantined(String stage) {
    if (registry != null) {
      stage(stage).quarantined.increment();
    }
  }

  /**
   * Samples what this node's host of the job holds.
   *
   * @param held items handed to this node and not answered yet
   * @param waitingInMailboxes of those, items no worker has started on
   */
  public void sampleHost(long held, long waitingInMailboxes) {
    if (registry == null) {
      return;
    }
    if (!hostGauges) {
      hostGauges = true;
      String[] tags = {"job", job, "pipeline", pipeline};
      metrics.gauge(
          "troupe.job.in.flight",
          "Items handed to this node's workers of the job and not answered yet (sampled)",
          inFlight,
          AtomicLong::get,
          tags);
      metrics.gauge(
          "troupe.job.mailbox.depth",
          "Items waiting in this node's worker mailboxes of the job, not started (sampled)",
          mailbox,
          AtomicLong::get,
          tags);
    }
    inFlight.set(held);
    mailbox.set(waitingInMailboxes);
  }

  /**
   * Samples the job's queue at its coordinator: items per stage not handed out yet; stages missing
   * from the map have none waiting.
   *
   * @param byStage items waiting per stage
   */
  public void sampleWaiting(Map<String, Long> byStage) {
    if (registry == null) {
      return;
    }
    for (String stage : byStage.keySet()) {
      waiting.computeIfAbsent(
          stage,
          s -> {
            AtomicLong gauge = new AtomicLong();
            metrics.gauge(
                "troupe.stage.items.waiting",
                "Items of the stage waiting at the job's coordinator to be handed out (sampled)",
                gauge,
                AtomicLong::get,
                "job",
                job,
                "pipeline",
                pipeline,
                "stage",
                s);
            return gauge;
          });
    }
    waiting.forEach((stage, gauge) -> gauge.set(byStage.getOrDefault(stage, 0L)));
  }

  /** Notes that the job is over on this node; its series go once enough newer jobs finished. */
  public void finished() {
    if (registry != null) {
      inFlight.set(0);
      mailbox.set(0);
      waiting.values().forEach(w -> w.set(0));
      metrics.jobFinished(job);
    }
  }
}
