package io.troupe.cluster.internal;

import io.troupe.cluster.JobStatus;
import io.troupe.persistence.internal.LedgerEvent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/**
 * The last phase of a job coordinator (internal API): the job is closed or failed; the coordinator
 * answers for it until it is passivated, and tells hosts that still announce themselves that the
 * job is over.
 */
final class Over extends Phase {

  private final String error;

  private Over(Coordination job, LedgerEvent.JobCompleted outcome, String error, Counts counts) {
    super(job);
    this.error = error;
    String pipeline = job.spec == null ? "" : job.spec.pipeline();
    job.status.of(
        () ->
            new JobStatus(
                job.jobId,
                pipeline,
                outcome != null ? outcome.status() : JobStatus.FAILED,
                counts.items(),
                counts.completed(),
                counts.quarantined(),
                0,
                counts.failedAttempts(),
                outcome == null ? null : outcome.result(),
                outcome == null ? null : outcome.report(),
                error),
        job.startNanos != 0);
  }

  /**
   * A job's counts when it ended.
   *
   * @param items items it had
   * @param completed items completed
   * @param quarantined items quarantined
   * @param failedAttempts failed attempts
   */
  record Counts(long items, long completed, long quarantined, long failedAttempts) {}

  /**
   * The job is closed: answers with its outcome from now on.
   *
   * @param job the coordinator
   * @param outcome the ledger's record of the job's end
   * @param counts the job's counts
   * @param hosts the hosts to stop
   * @return the behavior
   */
  static Behavior<JobCoordinator.Command> done(
      Coordination job,
      LedgerEvent.JobCompleted outcome,
      Counts counts,
      Iterable<ActorRef<JobHost.Command>> hosts) {
    Over over = new Over(job, outcome, null, counts);
    job.ended(hosts);
    return over.unstashed();
  }

  /**
   * The job failed: logs why, answers every waiting starter with the error, and answers with it
   * from now on.
   *
   * @param job the coordinator
   * @param why the reason, in one line
   * @param hosts the hosts to stop
   * @return the behavior
   */
  static Behavior<JobCoordinator.Command> failed(
      Coordination job, String why, Iterable<ActorRef<JobHost.Command>> hosts) {
    job.ctx.getLog().error("Job [{}] failed: {}", job.jobId, why);
    job.timers.cancel(CoordinatorMessages.Tick.INSTANCE);
    Over over = new Over(job, null, why, job.countsSoFar());
    job.answerStarters(job.starters, why);
    job.ended(hosts);
    return over.unstashed();
  }

  private Behavior<JobCoordinator.Command> unstashed() {
    return job.stash.isEmpty() ? this : job.stash.unstashAll(this);
  }

  @Override
  public Receive<JobCoordinator.Command> createReceive() {
    return common(
            newReceiveBuilder()
                .onMessage(JobCoordinator.Start.class, this::onStart)
                .onMessage(JobCoordinator.Resume.class, this::onResume)
                .onMessage(JobCoordinator.Cancel.class, this::onCancel)
                .onMessage(JobCoordinator.HostReady.class, this::onHostReady))
        .build();
  }

  @Override
  Behavior<JobCoordinator.Command> onAwait(JobCoordinator.AwaitCompletion await) {
    await.replyTo().tell(job.status.now());
    return this;
  }

  @Override
  Behavior<JobCoordinator.Command> ledgerStopped(Throwable cause) {
    return this; // the ledger's work is done, or the job failed already
  }

  private Behavior<JobCoordinator.Command> onStart(JobCoordinator.Start start) {
    if (error != null) {
      start.replyTo().tell(StatusReply.error(error));
    } else {
      confirm(start);
    }
    return this;
  }

  private Behavior<JobCoordinator.Command> onResume(JobCoordinator.Resume resume) {
    if (error != null) {
      resume.replyTo().tell(StatusReply.error(error));
    } else {
      resumed(resume.replyTo());
    }
    return this;
  }

  /** A job that is over stays as it is; the answer says how it ended. */
  private Behavior<JobCoordinator.Command> onCancel(JobCoordinator.Cancel cancel) {
    cancel.replyTo().tell(StatusReply.success(job.status.now()));
    return this;
  }

  private Behavior<JobCoordinator.Command> onHostReady(JobCoordinator.HostReady ready) {
    ready.host().tell(JobHost.JobFinished.INSTANCE);
    return this;
  }
}
