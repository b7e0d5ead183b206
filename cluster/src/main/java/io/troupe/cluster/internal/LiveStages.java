package io.troupe.cluster.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A running job's stages over the last minutes, as the dashboard draws them (internal API): per
 * sample, each stage's throughput, the items waiting at the coordinator and the items hosts hold.
 *
 * <p>Implementation notes: owned by the coordinator, which calls {@link #sample} from its timer.
 * Samples go back {@code keep} intervals; a stage's peak of waiting items is kept for the run
 * report (a stage that cannot keep up shows there as a queue that grew).
 */
public final class LiveStages {

  private record Figures(double itemsPerSec, long waiting, long inFlight) {}

  private record Sample(long atMs, Map<String, Figures> stages) {}

  private final long intervalMs;
  private final int keep;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private final Map<String, Long> lastItems = new HashMap<>();
  private final Map<String, Long> maxWaiting = new HashMap<>();
  private final TreeSet<String> names = new TreeSet<>();
  private long lastNanos;

  /**
   * Creates the history.
   *
   * @param intervalMs the time between samples
   * @param keep how many samples to keep
   */
  public LiveStages(long intervalMs, int keep) {
    this.intervalMs = intervalMs;
    this.keep = keep;
  }

  /** Returns the time between samples in milliseconds. */
  public long intervalMs() {
    return intervalMs;
  }

  /**
   * Takes a sample.
   *
   * @param nowNanos {@link System#nanoTime()} now
   * @param nowMs wall-clock time now
   * @param meters the job's completed items per stage
   * @param pending per stage, items still to do and of those the ones hosts hold (see {@link
   *     JobRun#pendingByStage()})
   */
  public void sample(long nowNanos, long nowMs, StageMeters meters, Map<String, long[]> pending) {
    names.addAll(meters.stageNames());
    names.addAll(pending.keySet());
    double seconds = lastNanos == 0 ? 0 : (nowNanos - lastNanos) / 1e9;
    Map<String, Figures> figures = new LinkedHashMap<>();
    for (String stage : names) {
      long items = meters.items(stage);
      long before = lastItems.getOrDefault(stage, items);
      long[] counts = pending.getOrDefault(stage, new long[2]);
      long waiting = Math.max(0, counts[0] - counts[1]);
      double rate = seconds > 0 ? StageMeters.round((items - before) / seconds, 1) : 0;
      figures.put(stage, new Figures(rate, waiting, counts[1]));
      lastItems.put(stage, items);
      maxWaiting.merge(stage, waiting, Math::max);
    }
    lastNanos = nowNanos;
    samples.addLast(new Sample(nowMs, figures));
    while (samples.size() > keep) {
      samples.removeFirst();
    }
  }

  /** Returns the most items of the stage that waited at once, or 0. */
  public long maxWaiting(String stage) {
    return maxWaiting.getOrDefault(stage, 0L);
  }

  /**
   * Renders the history: {@code {intervalMs, bottleneck, stages: [{name, items, busyPct, waiting,
   * inFlight}], samples: [{atMs, stages: {name: {itemsPerSec, waiting, inFlight}}}]}}, samples
   * oldest first.
   *
   * @param meters the job's per-stage figures
   * @param wallNanos the run's wall time so far
   * @return the JSON object
   */
  public ObjectNode toJson(StageMeters meters, long wallNanos) {
    ObjectNode live = JsonNodeFactory.instance.objectNode();
    live.put("intervalMs", intervalMs);
    live.put("bottleneck", meters.bottleneck(wallNanos));
    ArrayNode stages = live.putArray("stages");
    Sample last = samples.peekLast();
    for (String stage : names) {
      Figures now = last == null ? null : last.stages().get(stage);
      ObjectNode st = stages.addObject();
      st.put("name", stage);
      st.put("items", meters.items(stage));
      st.put("busyPct", meters.busyPct(stage, wallNanos));
      st.put("waiting", now == null ? 0 : now.waiting());
      st.put("inFlight", now == null ? 0 : now.inFlight());
      st.put("maxWaiting", maxWaiting(stage));
    }
    ArrayNode history = live.putArray("samples");
    for (Sample sample : samples) {
      ObjectNode row = history.addObject();
      row.put("atMs", sample.atMs());
      ObjectNode byStage = row.putObject("stages");
      sample
          .stages()
          .forEach(
              (name, f) ->
                  byStage
                      .putObject(name)
                      .put("itemsPerSec", f.itemsPerSec())
                      .put("waiting", f.waiting())
                      .put("inFlight", f.inFlight()));
    }
    return live;
  }
}
