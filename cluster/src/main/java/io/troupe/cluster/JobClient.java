package io.troupe.cluster;

import io.troupe.cluster.internal.JobCoordinator;
import io.troupe.persistence.JobSpec;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** Starts, resumes, cancels and watches jobs from any node, through their sharded coordinators. */
public final class JobClient {

  private final ClusterSharding sharding;
  private final Duration timeout;

  /**
   * Creates a client.
   *
   * @param system a node's actor system (with {@link JobCoordinator#init} done)
   * @param timeout how long to wait for a coordinator's answer
   */
  public JobClient(ActorSystem<?> system, Duration timeout) {
    this.sharding = ClusterSharding.get(system);
    this.timeout = timeout;
  }

  private EntityRef<JobCoordinator.Command> coordinator(String jobId) {
    return sharding.entityRefFor(JobCoordinator.TYPE_KEY, jobId);
  }

  /**
   * Starts a job; completes once its items are planned and recorded.
   *
   * @param spec the job
   * @return the job's status, or a failure with the reason it could not start
   */
  public CompletionStage<JobStatus> start(JobSpec spec) {
    return coordinator(spec.jobId())
        .askWithStatus(replyTo -> new JobCoordinator.Start(spec, replyTo), timeout);
  }

  /**
   * Continues a job from its ledger.
   *
   * @param jobId the job's id
   * @return the job's status, or a failure if there is no such job
   */
  public CompletionStage<JobStatus> resume(String jobId) {
    return coordinator(jobId).askWithStatus(JobCoordinator.Resume::new, timeout);
  }

  /**
   * Cancels a job; completes once the cancel is recorded in its ledger.
   *
   * @param jobId the job's id
   * @return the job's status: {@code canceled}, or how it ended if it was over already; a failure
   *     if there is no such job or the cancel could not be recorded
   */
  public CompletionStage<JobStatus> cancel(String jobId) {
    return cancel(jobId, timeout);
  }

  /**
   * Cancels a job, waiting at most {@code patience} for the cancel to be recorded.
   *
   * @param jobId the job's id
   * @param patience the longest to wait for the answer
   * @return as {@link #cancel(String)}; failed with a timeout if no answer came in time (the cancel
   *     may still be recorded: ask for the job's status)
   */
  public CompletionStage<JobStatus> cancel(String jobId, Duration patience) {
    return coordinator(jobId).askWithStatus(JobCoordinator.Cancel::new, patience);
  }

  /** Returns a job's current status ({@code unknown} if there is no such job). */
  public CompletionStage<JobStatus> status(String jobId) {
    return status(jobId, timeout);
  }

  /**
   * Asks a job's coordinator for its status, waiting at most {@code patience}.
   *
   * @param jobId the job's id
   * @param patience the longest to wait for the answer
   * @return the status; failed with a timeout if the coordinator did not answer in time
   */
  public CompletionStage<JobStatus> status(String jobId, Duration patience) {
    return coordinator(jobId).ask(JobCoordinator.GetStatus::new, patience);
  }

  /**
   * Waits until a job is completed or failed.
   *
   * @param jobId the job's id
   * @param patience the longest to wait
   * @return the final status
   */
  public CompletionStage<JobStatus> awaitCompletion(String jobId, Duration patience) {
    return coordinator(jobId).ask(JobCoordinator.AwaitCompletion::new, patience);
  }
}
