package io.troupe.persistence;

import io.troupe.sdk.TroupeMessage;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a job runs: a pipeline by name and its arguments. Every node re-parses the arguments with
 * the pipeline's own parser, so the spec stays small and self-describing in the ledger.
 *
 * <p>Arguments are logged, sent to every node and stored in the ledger, so a spec never holds the
 * credentials of a URL: {@code https://user:secret@host/} becomes {@code https://host/} when the
 * spec is made, before anything sees it. Secrets a pipeline needs belong in the node's
 * configuration or environment, not in a job's arguments.
 *
 * @param jobId the job's id, also its ledger's persistence id
 * @param pipeline the pipeline's name, as {@code troupe list} shows it
 * @param args the pipeline's options, as given on the command line
 * @param submittedAt when the job was submitted, epoch milliseconds
 * @param priority the job's share of workers while jobs compete for them, relative to the others'
 *     (from {@value #MIN_PRIORITY} to {@value #MAX_PRIORITY}; {@value #DEFAULT_PRIORITY} by
 *     default, and for jobs recorded before priorities existed)
 */
public record JobSpec(
    String jobId, String pipeline, List<String> args, long submittedAt, int priority)
    implements TroupeMessage {

  /** The lowest priority. */
  public static final int MIN_PRIORITY = 1;

  /** The highest priority. */
  public static final int MAX_PRIORITY = 1000;

  /** The priority of a job submitted without one. */
  public static final int DEFAULT_PRIORITY = 1;

  /**
   * Copies the arguments without the credentials of URLs, and rejects nulls and priorities out of
   * range; a priority of 0 (a spec recorded before priorities existed) is the default one.
   */
  public JobSpec {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(pipeline, "pipeline");
    args = args.stream().map(JobSpec::withoutCredentials).toList();
    priority = priority == 0 ? DEFAULT_PRIORITY : priority;
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException(
          "priority must be from " + MIN_PRIORITY + " to " + MAX_PRIORITY + ", was " + priority);
    }
  }

  /**
   * Creates the spec of a job of the default priority.
   *
   * @param jobId the job's id
   * @param pipeline the pipeline's name
   * @param args the pipeline's options
   * @param submittedAt when the job was submitted, epoch milliseconds
   */
  public JobSpec(String jobId, String pipeline, List<String> args, long submittedAt) {
    this(jobId, pipeline, args, submittedAt, DEFAULT_PRIORITY);
  }

  /** A URL's scheme and the user info of its authority ({@code user:password@}). */
  private static final Pattern USER_INFO =
      Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/?#\\s]*@");

  /**
   * Removes the user info from every URL in an argument.
   *
   * @param arg an argument, e.g. {@code --url=https://user:secret@host/path}
   * @return the argument without user info, e.g. {@code --url=https://host/path}
   */
  public static String withoutCredentials(String arg) {
    Objects.requireNonNull(arg, "arg");
    return arg.indexOf('@') < 0 ? arg : USER_INFO.matcher(arg).replaceAll("$1");
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
