package io.troupe.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.sdk.TroupeMessage;

/**
 * A job's state as its coordinator sees it: what {@code troupe status} and {@code GET
 * /api/jobs/{id}} show.
 *
 * @param job the job's id
 * @param pipeline the pipeline's name, or "" if the job is unknown
 * @param state {@code unknown}, {@code starting}, {@code running}, {@code completed}, {@code
 *     completed_with_failures}, {@code failed} or {@code canceled}
 * @param items items known to the job
 * @param completed items completed (including those completed before a resume)
 * @param quarantined items given up on
 * @param inFlight items held by workers now
 * @param failedAttempts failed attempts so far
 * @param result the result once the job is completed, else {@code null}
 * @param report the run report once the job is completed, else {@code null}
 * @param error why the job failed, else {@code null}
 * @param coordinator the address of the node whose coordinator answered ({@code host:port}), or
 *     {@code null} if unknown
 * @param live the stages over the last minutes while the job runs here and once it finished (see
 *     {@code LiveStages}), or {@code null}
 * @param unavailable nodes that cannot work on the job and why, as {@code [{node, reason}]} (a node
 *     without the job's pipeline, say), or {@code null} if every node can
 */
public record JobStatus(
    String job,
    String pipeline,
    String state,
    long items,
    long completed,
    long quarantined,
    long inFlight,
    long failedAttempts,
    JsonNode result,
    JsonNode report,
    String error,
    String coordinator,
    JsonNode live,
    JsonNode unavailable)
    implements TroupeMessage {

  /** Keeps a missing result, report, live view or list {@code null} after Jackson read null. */
  public JobStatus {
    result = result == null || result.isNull() ? null : result;
    report = report == null || report.isNull() ? null : report;
    live = live == null || live.isNull() ? null : live;
    unavailable =
        unavailable == null || unavailable.isNull() || unavailable.isEmpty() ? null : unavailable;
  }

  /** Creates a status whose coordinator's node is unknown. */
  public JobStatus(
      String job,
      String pipeline,
      String state,
      long items,
      long completed,
      long quarantined,
      long inFlight,
      long failedAttempts,
      JsonNode result,
      JsonNode report,
      String error) {
    this(
        job,
        pipeline,
        state,
        items,
        completed,
        quarantined,
        inFlight,
        failedAttempts,
        result,
        report,
        error,
        null,
        null,
        null);
  }

  /** Returns this status with the job's stages over the last minutes. */
  public JobStatus withLive(JsonNode stages) {
    return new JobStatus(
        job,
        pipeline,
        state,
        items,
        completed,
        quarantined,
        inFlight,
        failedAttempts,
        result,
        report,
        error,
        coordinator,
        stages,
        unavailable);
  }

  /** Returns this status as told by the coordinator on the given node ({@code host:port}). */
  public JobStatus withCoordinator(String node) {
    return new JobStatus(
        job,
        pipeline,
        state,
        items,
        completed,
        quarantined,
        inFlight,
        failedAttempts,
        result,
        report,
        error,
        node,
        live,
        unavailable);
  }

  /**
   * Returns this status with the nodes that cannot work on the job.
   *
   * @param nodes {@code [{node, reason}]}, or null or empty for none
   * @return the status
   */
  public JobStatus withUnavailable(JsonNode nodes) {
    return new JobStatus(
        job,
        pipeline,
        state,
        items,
        completed,
        quarantined,
        inFlight,
        failedAttempts,
        result,
        report,
        error,
        coordinator,
        live,
        nodes);
  }

  /** State of a job no coordinator knows. */
  public static final String UNKNOWN = "unknown";

  /** State while the job's items are being planned and recorded. */
  public static final String STARTING = "starting";

  /** State while items are processed. */
  public static final String RUNNING = "running";

  /** State of a job that could not run (for example its plan failed). */
  public static final String FAILED = "failed";

  /** State of a job canceled before it completed: final, never resumed. */
  public static final String CANCELED = "canceled";

  /** Returns true once the job will not change any more. */
  public boolean isFinal() {
    return state.equals("completed")
        || state.equals("completed_with_failures")
        || state.equals(FAILED)
        || state.equals(CANCELED);
  }

  /** Returns the status of a job no one has heard of. */
  public static JobStatus unknown(String job) {
    return new JobStatus(job, "", UNKNOWN, 0, 0, 0, 0, 0, null, null, null);
  }
}
