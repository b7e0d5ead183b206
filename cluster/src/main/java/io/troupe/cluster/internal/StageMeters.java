package io.troupe.cluster.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a job's items cost, per stage (internal API); {@link RunReport} reports it.
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

  /** Returns a stage's latency percentile in milliseconds (0 for an unknown stage). */
  double latencyMs(String stage, double percentile) {
    Stage s = stages.get(stage);
    return s == null ? 0 : round(s.latency.getValueAtPercentile(percentile) / 1e6, 3);
  }

  /** Returns the most items a worker of the stage held when it was given one. */
  int maxQueued(String stage) {
    Stage s = stages.get(stage);
    return s == null ? 0 : s.maxQueued;
  }

  /** Returns the items completed over all stages. */
  long processed() {
    long n = 0;
    for (Stage s : stages.values()) {
      n += s.items;
    }
    return n;
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
