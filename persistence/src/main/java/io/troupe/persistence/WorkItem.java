package io.troupe.persistence;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.troupe.actors.TroupeMessage;
import java.util.Objects;

/**
 * One unit of work of a job.
 *
 * @param id deterministic id (for example {@code chunk-17} or a URL), so a re-delivered item is
 *     recognised; unique within the job
 * @param stage the kind of work, for the run report's per-stage figures (for example {@code map})
 * @param payload what the worker needs to process the item; a Troupe message so it can cross nodes
 *     and go into the ledger
 */
public record WorkItem(
    String id,
    String stage,
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@type") TroupeMessage payload)
    implements TroupeMessage {

  /** Rejects nulls. */
  public WorkItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(payload, "payload");
  }

  @Override
  public String toString() {
    return id;
  }
}
