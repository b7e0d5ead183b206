package io.troupe.cluster.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a job's items cost, per stage, and the run report built from it (internal API).
 *
 * <p>Implementation notes: owned by the coordinator; every completed item's timing (measured by its
 * node's host: latency from hand-out to answer, service time, and how many items its worker already
 * held) is recorded here once. A stage's busy share is its service time over the time all workers
 * had; the bottleneck is the busiest stage, unless workers were mostly idle, in which case the
 * coordinator (planning, dispatch or ledger writes) held the run back.
 */
public final class StageMeters {

  /** Below this utilisation of the workers, the coordinator is named as the bottleneck. */
  static final double BUSY_ENOUGH = 0.6;

  private static final class Stage {
    final Histogram latency = new Histogram(3_600_000_000_000L, 2);
    long items;
    long serviceNanos;
    int maxQueued;
  }

  private final Map<String, Stage> stages = new LinkedHashMap<>();
  private final Map<String, Integer> workersByNode = new LinkedHashMap<>();

  /** Records one completed item. */
  public void record(String stage, long latencyNanos, long serviceNanos, int queuedAhead) {
    Stage s = stages.computeIfAbsent(stage, k -> new Stage());
    s.items++;
    s.serviceNanos += Math.max(0, serviceNanos);
    s.latency.recordValue(
        Math.max(1, Math.min(latencyNanos, s.latency.getHighestTrackableValue())));
    s.maxQueued = Math.max(s.maxQueued, queuedAhead);
  }

  /** Records that a node worked on the job with this many workers. */
  public void node(String node, int workers) {
    workersByNode.put(node, workers);
  }

  /** Returns the number of nodes that worked on the job. */
  public int nodes() {
    return workersByNode.size();
  }

  /** Returns the number of workers over all nodes. */
  public int workers() {
    return workersByNode.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * Builds the run report.
   *
   * @param wallNanos the run's wall time
   * @param items items in the job
   * @param failedAttempts failed attempts in this run (each was retried or quarantined)
   * @param redispatched items handed out again because their node left
   * @param quarantinedNow items quarantined in this run
   * @param quarantined items quarantined in the whole job
   * @param resumed items completed by an earlier run and not redone
   * @param redone items an earlier run held when it died, processed again by this one
   * @return the report as JSON
   */
  public ObjectNode report(
      long wallNanos,
      long items,
      long failedAttempts,
      long redispatched,
      long quarantinedNow,
      long quarantined,
      long resumed,
      long redone) {
    ObjectNode report = JsonNodeFactory.instance.objectNode();
    double wallMs = wallNanos / 1e6;
    int workers = Math.max(1, workers());
    long processed = 0;
    for (Stage s : stages.values()) {
      processed += s.items;
    }
    report.put("wallMs", Math.round(wallMs));
    report.put("nodes", nodes());
    report.put("workers", workers());
    report.put("items", items);
    // Retried: failed attempts that were tried again, and items whose node left while it held
    // them (they go to another node; itemsRedispatched counts those alone).
    report.put(
        "itemsRetried", failedAttempts - Math.min(failedAttempts, quarantinedNow) + redispatched);
    report.put("itemsRedispatched", redispatched);
    report.put("itemsQuarantined", quarantined);
    report.put("itemsResumed", resumed);
    report.put("itemsRedone", redone);
    report.put("itemsPerSec", wallMs <= 0 ? 0.0 : round(processed / (wallMs / 1000.0), 1));
    var stageArray = report.putArray("stages");
    for (String name : stages.keySet()) {
      Stage s = stages.get(name);
      double busy = busyShare(s, wallNanos, workers);
      ObjectNode st = stageArray.addObject();
      st.put("name", name);
      st.put("items", s.items);
      st.put("busyPct", round(100 * busy, 1));
      st.put("p50Ms", round(s.latency.getValueAtPercentile(50) / 1e6, 3));
      st.put("p99Ms", round(s.latency.getValueAtPercentile(99) / 1e6, 3));
      st.put("maxMailbox", s.maxQueued);
    }
    report.put("bottleneck", bottleneck(wallNanos));
    return report;
  }

  /**
   * Names the stage that limits the run so far: the one whose items took the largest share of the
   * workers' time, or {@code coordinator} when the workers were mostly idle.
   *
   * @param wallNanos the run's wall time so far
   * @return a stage's name or {@code coordinator}
   */
  public String bottleneck(long wallNanos) {
    int workers = Math.max(1, workers());
    String bottleneck = "coordinator";
    double busiest = -1;
    double totalBusy = 0;
    for (Map.Entry<String, Stage> e : stages.entrySet()) {
      double busy = busyShare(e.getValue(), wallNanos, workers);
      totalBusy += busy;
      if (busy > busiest) {
        busiest = busy;
        bottleneck = e.getKey();
      }
    }
    return totalBusy < BUSY_ENOUGH || stages.isEmpty() ? "coordinator" : bottleneck;
  }

  /** Returns the names of the stages with completed items, in the order they first completed. */
  public java.util.Set<String> stageNames() {
    return java.util.Collections.unmodifiableSet(stages.keySet());
  }

  /** Returns the stage's items so far (0 for a stage none of whose items completed). */
  public long items(String stage) {
    Stage s = stages.get(stage);
    return s == null ? 0 : s.items;
  }

  /** Returns the stage's share of the workers' time so far, in percent. */
  public double busyPct(String stage, long wallNanos) {
    Stage s = stages.get(stage);
    return s == null ? 0 : round(100 * busyShare(s, wallNanos, Math.max(1, workers())), 1);
  }

  private static double busyShare(Stage s, long wallNanos, int workers) {
    return wallNanos <= 0 ? 0 : (double) s.serviceNanos / ((double) wallNanos * workers);
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
