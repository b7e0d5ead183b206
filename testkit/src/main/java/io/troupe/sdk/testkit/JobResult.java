package io.troupe.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.sdk.QuarantinedItem;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished job, as a test sees it: what {@code troupe run --format json} prints.
 *
 * @param job the job's id
 * @param pipeline the pipeline's name
 * @param status {@code completed}, {@code completed_with_failures} or {@code failed}
 * @param result the result as JSON (what the combiner's result rendered to), or null if it failed
 * @param report the run report (items, retries, per-stage figures)
 * @param error why the job failed, or null
 */
public record JobResult(
    String job, String pipeline, String status, JsonNode result, JsonNode report, String error) {

  /** Returns true if every item completed. */
  public boolean completed() {
    return "completed".equals(status);
  }

  /** Returns the items given up on, as the result lists them under {@code quarantined}. */
  public List<QuarantinedItem> quarantined() {
    List<QuarantinedItem> items = new ArrayList<>();
    if (result != null) {
      for (JsonNode q : result.path("quarantined")) {
        items.add(new QuarantinedItem(q.path("item").asText(), q.path("reason").asText()));
      }
    }
    return items;
  }
}
