package io.troupe.cluster.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.cluster.JobStatus;

/** The JSON form of a {@link JobStatus}, as {@code GET /api/jobs/{id}} returns it. */
public final class JobStatusJson {

  private JobStatusJson() {}

  /**
   * Renders a status: {@code {job, pipeline, status, coordinator, progress: {items, completed,
   * quarantined, inFlight, failedAttempts}, result, report, error, unavailable, live}}, {@code
   * unavailable} ({@code [{node, reason}]}) only when some node cannot work on the job, {@code
   * live} only when the coordinator has it (see {@code LiveStages}).
   *
   * @param status the status
   * @return the JSON object
   */
  public static ObjectNode of(JobStatus status) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("job", status.job());
    json.put("pipeline", status.pipeline());
    json.put("status", status.state());
    if (status.coordinator() != null) {
      json.put("coordinator", status.coordinator());
    }
    ObjectNode progress = json.putObject("progress");
    progress.put("items", status.items());
    progress.put("completed", status.completed());
    progress.put("quarantined", status.quarantined());
    progress.put("inFlight", status.inFlight());
    progress.put("failedAttempts", status.failedAttempts());
    json.set("result", status.result());
    json.set("report", status.report());
    if (status.error() != null) {
      json.put("error", status.error());
    } else {
      json.putNull("error");
    }
    if (status.unavailable() != null) {
      json.set("unavailable", status.unavailable());
    }
    if (status.live() != null) {
      json.set("live", status.live());
    }
    return json;
  }

  /**
   * Reads a status rendered by {@link #of}.
   *
   * @param json the JSON object
   * @return the status
   */
  public static JobStatus parse(com.fasterxml.jackson.databind.JsonNode json) {
    com.fasterxml.jackson.databind.JsonNode progress = json.path("progress");
    return new JobStatus(
        json.path("job").asText(),
        json.path("pipeline").asText(),
        json.path("status").asText(),
        progress.path("items").asLong(),
        progress.path("completed").asLong(),
        progress.path("quarantined").asLong(),
        progress.path("inFlight").asLong(),
        progress.path("failedAttempts").asLong(),
        json.path("result").isNull() || json.path("result").isMissingNode()
            ? null
            : json.get("result"),
        json.path("report").isNull() || json.path("report").isMissingNode()
            ? null
            : json.get("report"),
        json.path("error").isTextual() ? json.get("error").asText() : null,
        json.path("coordinator").isTextual() ? json.get("coordinator").asText() : null,
        json.path("live").isObject() ? json.get("live") : null,
        json.path("unavailable").isArray() ? json.get("unavailable") : null);
  }
}
