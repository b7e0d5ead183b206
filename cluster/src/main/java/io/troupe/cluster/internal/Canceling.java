package io.troupe.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.cluster.JobStatus;
import io.troupe.persistence.internal.LedgerEvent;
import io.troupe.persistence.internal.LedgerProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/**
 * A job coordinator whose running job was canceled (internal API): nothing is handed out any more
 * and the hosts are told the job is over at once, so their workers go on to other jobs; the
 * outcomes that arrived before the cancel are written, then the ledger records the job as {@code
 * canceled} and the coordinator answers for it as {@link Over}.
 *
 * <p>Implementation notes: answers that arrive from now on are dropped unread: the job's items are
 * abandoned, and an item a worker finishes after the cancel counts for nothing. The outcomes
 * counted before it are written first, so the counts a canceled job shows are the ledger's after a
 * restart too. A cancel that cannot be recorded (the ledger keeps failing) fails the job, which
 * leaves it resumable: a cancel is final only once it is in the ledger.
 */
final class Canceling extends Phase {

  private final LedgerWriter writer;
  private final RunCounts.Summary summary;
  private final List<ActorRef<StatusReply<JobStatus>>> cancelers = new ArrayList<>();

  private Canceling(Coordination job, LedgerWriter writer, RunCounts.Summary summary) {
    super(job);
    this.writer = writer;
    this.summary = summary;
    job.showWindingDown(summary.counts());
  }

  /**
   * Cancels a running job.
   *
   * @param job the coordinator
   * @param writer the outcomes not written yet, maybe with a write in flight
   * @param summary the run's counts at the cancel
   * @param hosts the job's hosts, told at once that the job is over
   * @param canceler who asked
   * @return the behavior
   */
  static Behavior<JobCoordinator.Command> start(
      Coordination job,
      LedgerWriter writer,
      RunCounts.Summary summary,
      Iterable<ActorRef<JobHost.Command>> hosts,
      ActorRef<StatusReply<JobStatus>> canceler) {
    job.timers.cancel(CoordinatorMessages.Tick.INSTANCE);
    job.timers.cancel(CoordinatorMessages.FlushDue.INSTANCE);
    hosts.forEach(h -> h.tell(JobHost.JobFinished.INSTANCE));
    job.endNanos = System.nanoTime();
    job.status.refresh();
    job.ctx
        .getLog()
        .info(
            "Job [{}] canceled: nothing more is handed out; {} of {} item(s) were completed",
            job.jobId,
            summary.counts().completed(),
            summary.counts().items());
    Canceling canceling = new Canceling(job, writer, summary);
    canceling.cancelers.add(canceler);
    if (!writer.isWriting()) {
      canceling.writeOrRecord();
    }
    return canceling;
  }

  @Override
  public Receive<JobCoordinator.Command> createReceive() {
    return common(
            newReceiveBuilder()
                .onMessage(CoordinatorMessages.Written.class, this::onWritten)
                .onMessage(CoordinatorMessages.Canceled.class, this::onCanceled)
                .onMessage(JobCoordinator.Cancel.class, this::onCancel)
                .onMessage(JobCoordinator.HostReady.class, this::onHostReady)
                .onMessage(JobCoordinator.Start.class, this::onStartWhileRunning)
                .onMessage(JobCoordinator.Resume.class, this::onResumeWhileRunning)
                .onMessage(JobCoordinator.BatchDone.class, done -> this))
        .build();
  }

  /** Writes the next batch of outcomes, or records the cancel once all are written. */
  private void writeOrRecord() {
    List<LedgerProtocol.Entry> batch = writer.take(job.settings.ledgerMaxBatch());
    if (!batch.isEmpty()) {
      job.record(batch);
      return;
    }
    Over.Counts counts = summary.counts();
    // `items` stays the job's items; a canceled job's report also says how many it got through.
    JsonNode report =
        RunReport.of(
                job.meters, job.live, summary, job.endNanos - job.startNanos, job.stayingOutJson())
            .toJson()
            .put("itemsCompleted", counts.completed())
            .put("itemsAbandoned", counts.items() - counts.completed() - counts.quarantined());
    getContext()
        .ask(
            CoordinatorMessages.<LedgerEvent.JobCompleted>statusReply(),
            job.ledger,
            Duration.ofMinutes(5),
            r -> new LedgerProtocol.Cancel(report, r),
            CoordinatorMessages.Canceled::new);
  }

  private Behavior<JobCoordinator.Command> onWritten(CoordinatorMessages.Written written) {
    if (written.error() != null) {
      int failures = writer.failed();
      if (failures >= job.settings.ledgerMaxWriteFailures()) {
        return failCancel(CoordinatorMessages.describe(written.error()));
      }
    } else {
      writer.written();
    }
    writeOrRecord();
    return this;
  }

  private Behavior<JobCoordinator.Command> onCanceled(CoordinatorMessages.Canceled canceled) {
    if (canceled.error() != null || canceled.reply().isError()) {
      return failCancel(CoordinatorMessages.why(canceled.reply(), canceled.error()));
    }
    LedgerEvent.JobCompleted outcome = canceled.reply().getValue();
    Behavior<JobCoordinator.Command> over = Over.done(job, outcome, summary.counts(), List.of());
    JobStatus now = job.status.now();
    cancelers.forEach(c -> c.tell(StatusReply.success(now)));
    return over;
  }

  /** The cancel could not be recorded: the job fails, and stays resumable. */
  private Behavior<JobCoordinator.Command> failCancel(String why) {
    String error = "the cancel of job " + job.jobId + " could not be recorded: " + why;
    cancelers.forEach(c -> c.tell(StatusReply.error(error)));
    return fail(error + "; the job stays resumable: resume it once the database is back");
  }

  private Behavior<JobCoordinator.Command> onCancel(JobCoordinator.Cancel cancel) {
    cancelers.add(cancel.replyTo());
    return this;
  }

  private Behavior<JobCoordinator.Command> onHostReady(JobCoordinator.HostReady ready) {
    ready.host().tell(JobHost.JobFinished.INSTANCE);
    return this;
  }
}
