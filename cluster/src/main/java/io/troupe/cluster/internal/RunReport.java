package io.troupe.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's run report, as its coordinator makes it when the job ends (internal API): a typed record,
 * rendered as the report's JSON by {@link #toJson} alone.
 *
 * @param wallMs the run's wall time
 * @param nodes nodes that worked on the job
 * @param workers workers over those nodes
 * @param items items the job has
 * @param itemsRetried failed attempts tried again, and items whose node left while it held them
 * @param itemsRedispatched items handed out again because their node left
 * @param itemsQuarantined items given up on, in the whole job
 * @param itemsResumed items completed by an earlier run and not redone
 * @param itemsRedone items an earlier run held when it died, processed again by this one
 * @param itemsPerSec items this run completed per second of wall time
 * @param stages per stage, in the order they first completed
 * @param bottleneck the stage that limits the run, or {@code coordinator}
 * @param unavailable nodes that stayed out of the job and why, or null
 */
record RunReport(
    long wallMs,
    int nodes,
    int workers,
    long items,
    long itemsRetried,
    long itemsRedispatched,
    long itemsQuarantined,
    long itemsResumed,
    long itemsRedone,
    double itemsPerSec,
    List<StageReport> stages,
    String bottleneck,
    JsonNode unavailable) {

  /**
   * One stage in the report.
   *
   * @param name the stage
   * @param items its items completed in this run
   * @param busyPct its share of the workers' time
   * @param p50Ms median latency, hand-out to answer
   * @param p99Ms 99th percentile latency
   * @param maxMailbox the most items a worker held when it was given one of this stage's
   * @param maxWaiting the most items of the stage that waited for a host at one sample
   */
  record StageReport(
      String name,
      long items,
      double busyPct,
      double p50Ms,
      double p99Ms,
      int maxMailbox,
      long maxWaiting) {}

  /**
   * Makes the report of a run.
   *
   * @param meters the run's per-stage figures
   * @param live the run's samples of waiting items
   * @param run the run's counts
   * @param wallNanos the run's wall time
   * @param unavailable nodes that stayed out, or null
   * @return the report
   */
  static RunReport of(
      StageMeters meters,
      LiveStages live,
      RunCounts.Summary run,
      long wallNanos,
      JsonNode unavailable) {
    double wallMs = wallNanos / 1e6;
    List<StageReport> stages = new ArrayList<>();
    for (String name : meters.stageNames()) {
      stages.add(
          new StageReport(
              name,
              meters.items(name),
              meters.busyPct(name, wallNanos),
              meters.latencyMs(name, 50),
              meters.latencyMs(name, 99),
              meters.maxQueued(name),
              live.maxWaiting(name)));
    }
    return new RunReport(
        Math.round(wallMs),
        meters.nodes(),
        meters.workers(),
        run.items(),
        run.failedNow() - Math.min(run.failedNow(), run.quarantinedNow()) + run.redispatched(),
        run.redispatched(),
        run.quarantined(),
        run.resumed(),
        run.redone(),
        wallMs <= 0 ? 0.0 : StageMeters.round(meters.processed() / (wallMs / 1000.0), 1),
        stages,
        meters.bottleneck(wallNanos),
        unavailable);
  }

  /** Returns the report as the JSON users see in {@code report}. */
  ObjectNode toJson() {
    ObjectNode report = JsonNodeFactory.instance.objectNode();
    report.put("wallMs", wallMs);
    report.put("nodes", nodes);
    report.put("workers", workers);
    report.put("items", items);
    report.put("itemsRetried", itemsRetried);
    report.put("itemsRedispatched", itemsRedispatched);
    report.put("itemsQuarantined", itemsQuarantined);
    report.put("itemsResumed", itemsResumed);
    report.put("itemsRedone", itemsRedone);
    report.put("itemsPerSec", itemsPerSec);
    var array = report.putArray("stages");
    for (StageReport s : stages) {
      array
          .addObject()
          .put("name", s.name())
          .put("items", s.items())
          .put("busyPct", s.busyPct())
          .put("p50Ms", s.p50Ms())
          .put("p99Ms", s.p99Ms())
          .put("maxMailbox", s.maxMailbox())
          .put("maxWaiting", s.maxWaiting());
    }
    report.put("bottleneck", bottleneck);
    if (unavailable != null) {
      report.set("unavailable", unavailable);
    }
    return report;
  }
}
