package io.troupe.sdk;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/**
 * One unit of work of a job: what a worker receives in a {@link Task}.
 *
 * @param id deterministic id (for example {@code chunk-17} or a URL), unique within the job, so a
 *     re-delivered item is recognised and counted once
 * @param stage the kind of work, for the run report's per-stage figures (for example {@code map})
 * @param payload what the worker needs to process the item; a {@link TroupeMessage}, because it
 *     crosses nodes and goes into the job's ledger
 * @param <I> the payload type
 */
public record WorkItem<I extends TroupeMessage>(
    String id,
    String stage,
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@type") I payload)
    implements TroupeMessage {

  /** Rejects nulls. */
  public WorkItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(payload, "payload");
  }

  /**
   * Returns an item.
   *
   * @param id its deterministic id, unique within the job
   * @param stage the kind of work
   * @param payload what the worker needs
   * @param <I> the payload type
   * @return the item
   */
  public static <I extends TroupeMessage> WorkItem<I> of(String id, String stage, I payload) {
    return new WorkItem<>(id, stage, payload);
  }

  @Override
  public String toString() {
    return id;
  }
}
