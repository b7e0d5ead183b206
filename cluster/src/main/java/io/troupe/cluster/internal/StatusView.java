package io.troupe.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.cluster.JobStatus;
import java.util.function.Supplier;

/**
 * A job's status as its coordinator answers it (internal API): the current phase's counts, the
 * coordinator's node, the nodes staying out, and the live view of the stages.
 *
 * <p>Implementation notes: each phase sets the {@link #of source} of its counts when it takes over.
 * The live view's JSON is the costly part of an answer; it is rebuilt at most once per tick of the
 * coordinator (a dashboard polling many times a second gets the same one), and frozen once the job
 * ended.
 */
final class StatusView {

  private final Coordination job;
  private Supplier<JobStatus> source;
  private boolean withLive;
  private JsonNode liveJson;
  private long liveAtNanos;

  StatusView(Coordination job) {
    this.job = job;
    this.source = () -> JobStatus.unknown(job.jobId);
  }

  /**
   * Sets where the counts come from.
   *
   * @param counts makes the status of the current phase, without coordinator, nodes or live view
   * @param live true if the answer carries the live view of the stages
   */
  void of(Supplier<JobStatus> counts, boolean live) {
    this.source = counts;
    this.withLive = live;
  }

  /** Returns the job's status now. */
  JobStatus now() {
    JobStatus here =
        source.get().withCoordinator(job.selfNode).withUnavailable(job.stayingOutJson());
    if (!withLive || job.startNanos == 0) {
      return here;
    }
    long now = System.nanoTime();
    if (liveJson == null
        || (job.endNanos == 0 && now - liveAtNanos >= Coordination.LIVE_INTERVAL.toNanos())) {
      long wall = (job.endNanos != 0 ? job.endNanos : now) - job.startNanos;
      liveJson = job.live.toJson(job.meters, wall);
      liveAtNanos = now;
    }
    return here.withLive(liveJson);
  }

  /** Drops the cached live view, so the next answer shows the stages as they end. */
  void refresh() {
    liveJson = null;
  }
}
