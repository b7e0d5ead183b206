package io.troupe.persistence.registry;

import io.troupe.persistence.JobSpec;
import io.troupe.persistence.internal.PersistenceSettings;
import io.troupe.sdk.TroupeMessage;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The durable job registry: one row per job of a cluster, in the cluster's database, beside the
 * ledgers (schema version 2). It lists jobs with their state, priority, times, counts and a summary
 * of their result; it admits jobs up to a limit for the whole cluster at once; and it names the
 * jobs to wake when nodes start after every node stopped.
 *
 * <p>Implementations are thread-safe and block: call them off actor threads. A job's ledger stays
 * the truth about its items and its end; the registry follows it, and a final state (completed,
 * completed with failures, canceled) is never changed again.
 */
public interface JobRegistry extends AutoCloseable {

  /** States of a job that is not over: counted by admission, woken after a restart. */
  Set<String> UNFINISHED = Set.of("starting", "running");

  /** States that never change again. ({@code failed} may: a failed job can be resumed.) */
  Set<String> FINAL = Set.of("completed", "completed_with_failures", "canceled");

  /** The longest summary kept, in characters. */
  int SUMMARY_MAX = 2000;

  /**
   * One job as the registry holds it.
   *
   * @param job its id
   * @param pipeline its pipeline
   * @param args its options
   * @param submittedBy who submitted it: the token's name, the client's address, or {@code local}
   * @param state its state, as a job status names it
   * @param priority its priority, at least 1
   * @param submittedAt when it was submitted, epoch milliseconds
   * @param startedAt when its items started, or 0
   * @param finishedAt when it ended, or 0
   * @param items items it has
   * @param completed items completed
   * @param quarantined items given up on
   * @param failedAttempts failed attempts
   * @param summary its result (JSON text) or error, cut to {@link #SUMMARY_MAX}, or null
   * @param updatedAt when this record was made, epoch milliseconds: the registry keeps a newer one
   */
  record Job(
      String job,
      String pipeline,
      List<String> args,
      String submittedBy,
      String state,
      int priority,
      long submittedAt,
      long startedAt,
      long finishedAt,
      long items,
      long completed,
      long quarantined,
      long failedAttempts,
      String summary,
      long updatedAt)
      implements TroupeMessage {

    /** Checks the fields and cuts the summary. */
    public Job {
      Objects.requireNonNull(job, "job");
      Objects.requireNonNull(pipeline, "pipeline");
      args = List.copyOf(args);
      submittedBy = submittedBy == null || submittedBy.isBlank() ? "local" : submittedBy;
      Objects.requireNonNull(state, "state");
      priority = Math.max(1, priority);
      summary =
          summary == null || summary.length() <= SUMMARY_MAX
              ? summary
              : summary.substring(0, SUMMARY_MAX - 1) + "…";
    }

    /** Returns true once the job's state never changes again. */
    public boolean isFinal() {
      return FINAL.contains(state);
    }

    /**
     * Returns the job as it was submitted, to start it from the registry.
     *
     * @throws IllegalArgumentException if the row holds a priority out of range
     */
    public JobSpec spec() {
      return new JobSpec(job, pipeline, args, submittedAt, priority);
    }
  }

  /**
   * Which jobs to list, newest submission first.
   *
   * @param states the states to list, or empty for all
   * @param pipeline the pipeline to list, or null for all
   * @param since the earliest submission to list, epoch milliseconds (0 for all)
   * @param offset jobs to skip
   * @param limit most jobs to list
   */
  record Query(Set<String> states, String pipeline, long since, int offset, int limit) {

    /** Checks the bounds. */
    public Query {
      states = Set.copyOf(states);
      if (offset < 0 || limit < 1) {
        throw new IllegalArgumentException("offset must be >= 0 and limit >= 1");
      }
    }

    /** Returns true if the job is one this query lists (paging aside). */
    public boolean matches(Job job) {
      return (states.isEmpty() || states.contains(job.state()))
          && (pipeline == null || pipeline.equals(job.pipeline()))
          && job.submittedAt() >= since;
    }
  }

  /**
   * A page of a listing.
   *
   * @param jobs the jobs on it
   * @param total how many jobs the query matches in all
   */
  record Page(List<Job> jobs, long total) {}

  /**
   * Adds a job as {@code starting} if fewer than {@code maxUnfinished} jobs are unfinished, in one
   * step for every node of the cluster.
   *
   * @param job the job
   * @param maxUnfinished the most unfinished jobs there may be
   * @return how many jobs were unfinished before; the job was added if that is below the limit
   * @throws RegistryException if the database cannot be used
   */
  long admit(Job job, int maxUnfinished);

  /**
   * Records where jobs stand: adds those the registry lacks, updates the others, and leaves a job
   * whose state is final as it is, and one whose row was updated by a newer record.
   *
   * @param jobs the jobs, at most one entry per job
   * @throws RegistryException if the database cannot be used
   */
  void record(List<Job> jobs);

  /**
   * Updates where jobs stand, as {@link #record} does, but adds none the registry lacks: for the
   * end of a job that was purged already, say, which must not come back.
   *
   * @param jobs the jobs, at most one entry per job
   * @throws RegistryException if the database cannot be used
   */
  void update(List<Job> jobs);

  /**
   * Lists jobs.
   *
   * @param query which
   * @return the page
   * @throws RegistryException if the database cannot be used
   */
  Page list(Query query);

  /**
   * Returns one job, or null if the registry does not have it.
   *
   * @param job its id
   * @return the job
   */
  Job get(String job);

  /**
   * Returns every job that is starting or running, oldest submission first.
   *
   * @return the jobs
   */
  List<Job> unfinished();

  /**
   * Removes jobs that ended (final, or failed) before {@code finishedBefore}.
   *
   * @param finishedBefore epoch milliseconds
   * @return how many were removed
   */
  int purge(long finishedBefore);

  /** Releases the registry's connection. */
  @Override
  void close();

  /**
   * Opens the registry of a node's database: its JDBC database, or for the memory journal one in
   * this process's memory.
   *
   * @param settings the node's persistence settings (the schema is migrated already)
   * @return the registry
   */
  static JobRegistry open(PersistenceSettings settings) {
    return settings.journal() == PersistenceSettings.Journal.MEMORY
        ? new MemoryJobRegistry()
        : new JdbcJobRegistry(settings);
  }
}
