package io.troupe.persistence;

import io.troupe.sdk.TroupeMessage;
import java.util.List;
import java.util.Objects;

/**
 * What a job runs: a pipeline by name and its arguments. Every node re-parses the arguments with
 * the pipeline's own parser, so the spec stays small and self-describing in the ledger.
 *
 * @param jobId the job's id, also its ledger's persistence id
 * @param pipeline the pipeline's name, as {@code troupe list} shows it
 * @param args the pipeline's options, as given on the command line
 * @param submittedAt when the job was submitted, epoch milliseconds
 */
public record JobSpec(String jobId, String pipeline, List<String> args, long submittedAt)
    implements TroupeMessage {

  /** Copies the arguments and rejects nulls. */
  public JobSpec {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(pipeline, "pipeline");
    args = List.copyOf(args);
  }

  /**
   * Creates the spec of a job submitted now.
   *
   * @param jobId the job's id
   * @param pipeline the pipeline's name
   * @param args the pipeline's options
   */
  public JobSpec(String jobId, String pipeline, List<String> args) {
    this(jobId, pipeline, args, System.currentTimeMillis());
  }
}
