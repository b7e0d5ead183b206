package io.troupe.cluster.internal;

import io.troupe.cluster.JobStatus;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.ReceiveBuilder;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/**
 * One phase of a job coordinator (internal API): the base of its behaviors, with the answers every
 * phase gives the same way.
 */
abstract class Phase extends AbstractBehavior<JobCoordinator.Command> {

  /** What the phases share. */
  final Coordination job;

  Phase(Coordination job) {
    super(job.ctx);
    this.job = job;
  }

  /**
   * Adds the messages every phase handles alike, after the phase's own: status, waiting for the
   * end, nodes staying out, passivation, and the ledger stopping.
   */
  ReceiveBuilder<JobCoordinator.Command> common(ReceiveBuilder<JobCoordinator.Command> builder) {
    return builder
        .onMessage(JobCoordinator.GetStatus.class, this::onGetStatus)
        .onMessage(JobCoordinator.AwaitCompletion.class, this::onAwait)
        .onMessage(JobCoordinator.HostUnavailable.class, this::onHostUnavailable)
        // Only Running hands out; every other phase lets a leaving host go at once.
        .onMessage(
            JobCoordinator.HostLeaving.class,
            leaving -> {
              leaving.host().tell(JobHost.LeaveNoted.INSTANCE);
              return this;
            })
        .onMessageEquals(CoordinatorMessages.RetentionOver.INSTANCE, this::onRetentionOver)
        .onMessageEquals(CoordinatorMessages.Passivate.INSTANCE, Behaviors::stopped)
        .onSignal(ChildFailed.class, f -> ledgerStopped(f.getCause()))
        .onSignal(Terminated.class, t -> ledgerStopped(null));
  }

  private Behavior<JobCoordinator.Command> onGetStatus(JobCoordinator.GetStatus get) {
    get.replyTo().tell(job.status.now());
    return this;
  }

  /** Waits for the job's end; a phase in which the job is over answers at once. */
  Behavior<JobCoordinator.Command> onAwait(JobCoordinator.AwaitCompletion await) {
    job.await(await.replyTo());
    return this;
  }

  private Behavior<JobCoordinator.Command> onHostUnavailable(
      JobCoordinator.HostUnavailable refused) {
    if (job.stayingOut.note(refused.node(), refused.reason())) {
      job.logStayingOut(refused.node(), refused.reason());
    }
    return this;
  }

  private Behavior<JobCoordinator.Command> onRetentionOver() {
    job.shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
    return this;
  }

  /** The ledger stopped: the job fails, unless it is over already. */
  Behavior<JobCoordinator.Command> ledgerStopped(Throwable cause) {
    return fail(
        "the ledger of job "
            + job.jobId
            + " stopped"
            + (cause == null ? "" : ": " + CoordinatorMessages.describe(cause)));
  }

  /** Fails the job; see {@link Over#failed}. */
  Behavior<JobCoordinator.Command> fail(String why) {
    return Over.failed(job, why, hosts());
  }

  /** Returns the job's hosts in this phase, to stop them when the job ends. */
  Iterable<ActorRef<JobHost.Command>> hosts() {
    return java.util.List.of();
  }

  /** Answers a status request for an existing job of the same pipeline, or an error. */
  void confirm(JobCoordinator.Start start) {
    if (job.spec.pipeline().equals(start.spec().pipeline())) {
      start.replyTo().tell(StatusReply.success(job.status.now()));
    } else {
      start
          .replyTo()
          .tell(
              StatusReply.error("job " + job.jobId + " already exists for " + job.spec.pipeline()));
    }
  }

  /** Replies that the job exists (for {@link JobCoordinator.Resume}). */
  void resumed(ActorRef<StatusReply<JobStatus>> replyTo) {
    replyTo.tell(StatusReply.success(job.status.now()));
  }

  /** Answers a start of a job that runs here already; see {@link #confirm}. */
  Behavior<JobCoordinator.Command> onStartWhileRunning(JobCoordinator.Start start) {
    confirm(start);
    return this;
  }

  /** Answers a resume of a job that runs here already. */
  Behavior<JobCoordinator.Command> onResumeWhileRunning(JobCoordinator.Resume resume) {
    resumed(resume.replyTo());
    return this;
  }
}
