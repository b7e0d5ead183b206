package io.troupe.cluster.internal;

import io.troupe.cluster.JobStatus;
import io.troupe.persistence.internal.IndexSet;
import io.troupe.persistence.internal.LedgerProtocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * A job coordinator while its job runs (internal API): it hands batches of items to the nodes'
 * hosts, takes their answers, decides about failed items, and writes outcomes to the ledger in
 * batches, until every item is completed or quarantined and every outcome written.
 *
 * <p>Implementation notes: a batch's answer counts all or nothing. Its partial combines every item
 * it completed, so it is taken only if all those items are still pending; otherwise (another
 * hand-out of one of them answered first) it is dropped and the batch's still-pending items are
 * handed out again. Whether an answer counts is decided by the items, not by the hand-out: an
 * answer to a hand-out this incarnation never made (a previous one's) or one that timed out still
 * counts if its items are pending. Its failed items count as attempts only if the hand-out is this
 * incarnation's and still in flight, so that no attempt is counted twice.
 */
final class Running extends Phase {

  private final ItemBook book;
  private final HostDirectory<ActorRef<JobHost.Command>> hosts = new HostDirectory<>();
  private final LedgerWriter writer = new LedgerWriter();
  private final Set<ActorRef<WorkerAgent.Command>> contactedAgents = new HashSet<>();
  private final RunCounts counts;
  private final long maxItems;
  private boolean warnedDropped;
  private boolean loggedFirstWrite;
  private final BatchDispatch dispatch;
  private final ItemFailures failures;

  /** True once sharding hands the job to another node (this one leaves): nothing more goes out. */
  private boolean handingOver;

  private Running(Coordination job, ItemBook book, LedgerProtocol.Progress before) {
    super(job);
    this.book = book;
    this.counts = new RunCounts(before);
    this.maxItems = Math.min(job.parsed.maxItems(), job.settings.maxItems());
    this.dispatch = new BatchDispatch(book, hosts, writer, job.settings);
    this.failures = new ItemFailures(job, book, writer, counts);
    String pipeline = job.spec.pipeline();
    job.status.of(
        () ->
            new JobStatus(
                job.jobId,
                pipeline,
                JobStatus.RUNNING,
                book.total(),
                counts.completedBefore() + counts.completed,
                counts.quarantinedBefore() + counts.quarantined,
                hosts.itemsInFlight(),
                counts.failedBefore() + counts.failedAttempts,
                null,
                null,
                null),
        true);
  }

  /**
   * Starts running a job.
   *
   * @param job the coordinator
   * @param book the job's items
   * @param before the job's counts from its ledger
   * @return the behavior
   */
  static Behavior<JobCoordinator.Command> start(
      Coordination job, ItemBook book, LedgerProtocol.Progress before) {
    Running running = new Running(job, book, before);
    if (job.startNanos == 0) {
      job.startNanos = System.nanoTime();
    }
    ActorRef<Receptionist.Listing> adapter =
        job.ctx.messageAdapter(Receptionist.Listing.class, CoordinatorMessages.AgentsChanged::new);
    job.ctx.getSystem().receptionist().tell(Receptionist.subscribe(WorkerAgent.KEY, adapter));
    job.timers.startTimerWithFixedDelay(
        CoordinatorMessages.Tick.INSTANCE, Coordination.LIVE_INTERVAL);
    running.sampleStages();
    job.started();
    job.recordInRegistry();
    return running.maybeClose();
  }

  @Override
  public Receive<JobCoordinator.Command> createReceive() {
    return common(
            newReceiveBuilder()
                .onMessage(JobCoordinator.BatchDone.class, this::onBatchDone)
                .onMessage(JobCoordinator.HostReady.class, this::onHostReady)
                .onMessage(CoordinatorMessages.Written.class, this::onWritten)
                .onMessage(CoordinatorMessages.RetryDue.class, this::onRetryDue)
                .onMessageEquals(CoordinatorMessages.Tick.INSTANCE, this::onTick)
                .onMessageEquals(CoordinatorMessages.FlushDue.INSTANCE, this::onFlushDue)
                .onMessage(CoordinatorMessages.HostLeft.class, this::onHostLeft)
                .onMessage(JobCoordinator.HostLeaving.class, this::onHostLeaving)
                .onMessageEquals(CoordinatorMessages.Passivate.INSTANCE, this::onHandOver)
                .onMessageEquals(CoordinatorMessages.HandOverDue.INSTANCE, this::onHandOverDue)
                .onMessage(CoordinatorMessages.AgentsChanged.class, this::onAgents)
                .onMessage(JobCoordinator.Cancel.class, this::onCancel)
                .onMessage(JobCoordinator.Start.class, this::onStartWhileRunning)
                .onMessage(JobCoordinator.Resume.class, this::onResumeWhileRunning))
        .build();
  }

  private Behavior<JobCoordinator.Command> onCancel(JobCoordinator.Cancel cancel) {
    if (handingOver) {
      // Unanswered: the caller's ask times out and it asks again (the API answers 503 with
      // Retry-After, `troupe cancel` waits that out), then reaches the job's next coordinator.
      getContext()
          .getLog()
          .info("Job [{}] is moving to another node; its cancel is left to the next", job.jobId);
      return this;
    }
    return Canceling.start(job, writer, counts.summary(book.total()), hosts(), cancel.replyTo());
  }

  @Override
  Iterable<ActorRef<JobHost.Command>> hosts() {
    return new ArrayList<>(toList(hosts.all()));
  }

  private static <T> List<T> toList(Iterable<T> all) {
    List<T> list = new ArrayList<>();
    all.forEach(list::add);
    return list;
  }

  private Behavior<JobCoordinator.Command> onAgents(CoordinatorMessages.AgentsChanged changed) {
    for (ActorRef<WorkerAgent.Command> agent :
        changed.listing().getServiceInstances(WorkerAgent.KEY)) {
      if (contactedAgents.add(agent)) {
        agent.tell(new WorkerAgent.JoinJob(job.spec));
      }
    }
    return this;
  }

  private Behavior<JobCoordinator.Command> onHostReady(JobCoordinator.HostReady ready) {
    hosts.stillHeld(ready.host(), ready.holding(), System.nanoTime());
    if (hosts.add(ready.host(), ready.node(), ready.workers(), ready.capacity())) {
      job.meters.node(ready.node(), ready.workers());
      getContext().watchWith(ready.host(), new CoordinatorMessages.HostLeft(ready.host()));
      getContext()
          .getLog()
          .info(
              "Node [{}] works on job [{}] with {} worker(s)",
              ready.node(),
              job.jobId,
              ready.workers());
      handOut();
    }
    return this;
  }

  private Behavior<JobCoordinator.Command> onBatchDone(JobCoordinator.BatchDone done) {
    HostDirectory.HandOut<ActorRef<JobHost.Command>> handOut = hosts.finish(done.handout());
    int[] completed = done.completed();
    if (completed.length > 0) {
      if (book.allPending(completed)) {
        accept(done);
      } else {
        counts.duplicates += completed.length;
        if (handOut != null) {
          // Another hand-out of some of these items answered first; the rest go out again.
          for (int index : completed) {
            if (book.isPending(index)) {
              book.giveBack(index);
            }
          }
        }
      }
    }
    if (handOut != null) {
      for (JobCoordinator.Failure failure : done.failures()) {
        failures.failed(failure.index(), failure.reason());
      }
      boolean leaving = hosts.isLeaving(done.host());
      for (int index : done.returned()) {
        if (book.isPending(index)) {
          book.giveBackAlone(index);
          if (leaving) {
            counts.redispatched++; // still under way when its node could wait no longer
          }
        }
      }
      if (done.unstarted().length > 0) {
        // Only a leaving host gives items back unstarted: hand it nothing more, even before its
        // HostLeaving (which comes through sharding) arrives, or if it went to a previous
        // incarnation of this coordinator.
        hosts.retire(done.host());
      }
      for (int index : done.unstarted()) {
        if (book.isPending(index)) {
          book.giveBack(index);
          writer.unstarted(index);
        }
      }
    }
    handOut();
    flush();
    return maybeClose();
  }

  private void accept(JobCoordinator.BatchDone done) {
    int[] completed = done.completed();
    Map<String, Integer> stages = new HashMap<>();
    long serviceNanos = 0;
    int timed = 0;
    for (JobCoordinator.StageTimes t : done.stages()) {
      stages.merge(t.stage(), t.count(), Integer::sum);
      for (int i = 0; i < t.count(); i++) {
        job.meters.record(t.stage(), t.latencyNanos()[i], t.serviceNanos()[i], t.maxQueuedAhead());
        serviceNanos += t.serviceNanos()[i];
      }
      timed += t.count();
    }
    dispatch.measured(serviceNanos, timed);
    for (int index : completed) {
      if (book.takeStartedBefore(index)) {
        counts.redone++;
      }
      failures.completed(index);
    }
    book.finishAll(completed, stages);
    counts.completed += completed.length;
    int firstNew = book.total();
    ItemBook.Added added = book.discover(done.newItems(), maxItems);
    counts.dropped += added.dropped();
    if (counts.dropped > 0 && !warnedDropped && job.settings.maxItems() < job.parsed.maxItems()) {
      warnedDropped = true;
      getContext()
          .getLog()
          .warn(
              "Job [{}] has {} items, as many as troupe.jobs.max-items allows; items its"
                  + " workers discover from now on are dropped",
              job.jobId,
              job.settings.maxItems());
    }
    writer.add(
        new LedgerProtocol.Done(
            IndexSet.ranges(completed), done.partial(), firstNew, added.items()));
  }

  private Behavior<JobCoordinator.Command> onRetryDue(CoordinatorMessages.RetryDue due) {
    if (failures.retryDue(due.index())) {
      book.giveBack(due.index());
      handOut();
    }
    return this;
  }

  private Behavior<JobCoordinator.Command> onTick() {
    job.recordInRegistry();
    sampleStages();
    long now = System.nanoTime();
    for (HostDirectory.HandOut<ActorRef<JobHost.Command>> h :
        hosts.inFlightWhere(h -> now - h.handedOutNanos() > dispatch.timeoutNanos(h))) {
      hosts.finish(h.id());
      String reason = JobHost.timedOut(job.settings.itemTimeout(), hosts.nodeOf(h.host()));
      for (int index : h.indices()) {
        failures.failed(index, reason);
      }
    }
    handOut();
    flush();
    return maybeClose();
  }

  private Behavior<JobCoordinator.Command> onHostLeft(CoordinatorMessages.HostLeft left) {
    if (hosts.has(left.host())) {
      String node = hosts.nodeOf(left.host());
      int requeued = 0;
      for (HostDirectory.HandOut<ActorRef<JobHost.Command>> h : hosts.remove(left.host())) {
        for (int i = h.indices().length - 1; i >= 0; i--) {
          if (book.isPending(h.indices()[i])) {
            book.giveBack(h.indices()[i]);
            requeued++;
          }
        }
      }
      counts.redispatched += requeued;
      // The node may still be up with a host that stopped: its agent makes a new one.
      contactedAgents.forEach(agent -> agent.tell(new WorkerAgent.JoinJob(job.spec)));
      getContext()
          .getLog()
          .warn(
              "Node [{}] left job [{}]; handing its {} item(s) to the others",
              node,
              job.jobId,
              requeued);
      handOut();
    }
    return maybeClose();
  }

  private Behavior<JobCoordinator.Command> onHostLeaving(JobCoordinator.HostLeaving leaving) {
    // After this, nothing more goes to the host; what went before reaches it first (one path).
    leaving.host().tell(JobHost.LeaveNoted.INSTANCE);
    if (hosts.retire(leaving.host())) {
      getContext()
          .getLog()
          .info(
              "Node [{}] leaves job [{}]; it answers what it holds and gets nothing more",
              hosts.nodeOf(leaving.host()),
              job.jobId);
    }
    return this;
  }

  /**
   * This node leaves and sharding moves the job: hand nothing more out, wait for the answers of the
   * batches out (up to the hand-over timeout), write every outcome, then stop; the job's next
   * coordinator resumes from the ledger without redoing anything.
   */
  private Behavior<JobCoordinator.Command> onHandOver() {
    if (Leaving.downed(getContext().getSystem())) {
      // Downed, not leaving: the job's next coordinator may be running already, and only one may
      // write the ledger. What this one did not write is redone there.
      return org.apache.pekko.actor.typed.javadsl.Behaviors.stopped();
    }
    if (!handingOver) {
      handingOver = true;
      getContext()
          .getLog()
          .info(
              "Job [{}] moves to another node: waiting for {} item(s) out and {} outcome(s) to"
                  + " write",
              job.jobId,
              hosts.itemsInFlight(),
              writer.unwritten());
      job.timers.startSingleTimer(
          CoordinatorMessages.HandOverDue.INSTANCE, job.settings.handOverTimeout());
      flush();
    }
    return handedOver();
  }

  private Behavior<JobCoordinator.Command> onHandOverDue() {
    return handOverCut("the hand-over took longer than " + job.settings.handOverTimeout());
  }

  /**
   * Stops a coordinator handing over before it is done (its time is up, the ledger cannot be
   * written, the node was downed meanwhile): the job's next coordinator redoes what is not written.
   * The job does not fail: it moves, like any job whose node died.
   */
  private Behavior<JobCoordinator.Command> handOverCut(String why) {
    getContext()
        .getLog()
        .warn(
            "Job [{}] moves to another node with {} item(s) still out and {} outcome(s) unwritten"
                + " ({}); they are redone there",
            job.jobId,
            hosts.itemsInFlight(),
            writer.unwritten(),
            why);
    return org.apache.pekko.actor.typed.javadsl.Behaviors.stopped();
  }

  @Override
  Behavior<JobCoordinator.Command> ledgerStopped(Throwable cause) {
    if (handingOver) {
      return handOverCut(
          "its ledger stopped" + (cause == null ? "" : ": " + CoordinatorMessages.describe(cause)));
    }
    return super.ledgerStopped(cause);
  }

  /** Stops a coordinator handing over once nothing is out and everything is written. */
  private Behavior<JobCoordinator.Command> handedOver() {
    if (Leaving.downed(getContext().getSystem())) {
      return handOverCut("this node was downed meanwhile");
    }
    if (hosts.itemsInFlight() > 0 || !writer.isEmpty()) {
      return this;
    }
    getContext()
        .getLog()
        .info("Job [{}] handed over: every outcome written, nothing out", job.jobId);
    return org.apache.pekko.actor.typed.javadsl.Behaviors.stopped();
  }

  /** Hands out batches, unless the job is moving to another node. */
  private void handOut() {
    if (!handingOver) {
      dispatch.handOut(getContext().getSelf());
    }
  }

  /**
   * Writes waiting outcomes when a batch is full or the job has no items left; otherwise makes sure
   * a write happens within the flush interval. A job moving to another node writes at once.
   */
  private void flush() {
    if (writer.isWriting() || writer.isEmpty()) {
      return;
    }
    if (handingOver) {
      write();
      return;
    }
    if (writer.waiting() < job.settings.ledgerMaxBatch() && book.pendingCount() > 0) {
      if (!job.timers.isTimerActive(CoordinatorMessages.FlushDue.INSTANCE)) {
        job.timers.startSingleTimer(
            CoordinatorMessages.FlushDue.INSTANCE, job.settings.ledgerFlushInterval());
      }
      return;
    }
    write();
  }

  private Behavior<JobCoordinator.Command> onFlushDue() {
    if (!writer.isWriting()) {
      write();
    }
    return this;
  }

  private void write() {
    job.timers.cancel(CoordinatorMessages.FlushDue.INSTANCE);
    List<LedgerProtocol.Entry> batch = writer.take(job.settings.ledgerMaxBatch());
    if (!batch.isEmpty()) {
      job.record(batch);
    }
  }

  private Behavior<JobCoordinator.Command> onWritten(CoordinatorMessages.Written written) {
    if (written.error() != null && handingOver) {
      return handOverCut("a ledger write failed: " + CoordinatorMessages.describe(written.error()));
    }
    if (written.error() != null) {
      int failures = writer.failed();
      if (failures >= job.settings.ledgerMaxWriteFailures()) {
        return fail(
            "the ledger could not be written "
                + failures
                + " times in a row (last: "
                + CoordinatorMessages.describe(written.error())
                + "); resume the job once the database is back");
      }
      getContext()
          .getLog()
          .warn(
              "Ledger write for job [{}] failed ({} in a row), resending: {}",
              job.jobId,
              failures,
              written.error().toString());
    } else {
      if (written.recorded().ignored() > 0) {
        // The coordinator only sends outcomes of items it holds pending; the ledger dropping
        // some means the two disagree, which would leave the job unable to close.
        getContext()
            .getLog()
            .warn(
                "The ledger of job [{}] ignored {} outcome(s) the coordinator counted",
                job.jobId,
                written.recorded().ignored());
      }
      if (!loggedFirstWrite && written.recorded().accepted() > 0) {
        loggedFirstWrite = true;
        getContext()
            .getLog()
            .info(
                "Job [{}]: first outcomes are in its ledger; a resumed run skips what it holds",
                job.jobId);
      }
      writer.written();
      handOut(); // batches held back while the ledger lagged may go now
    }
    flush();
    return maybeClose();
  }

  private Behavior<JobCoordinator.Command> maybeClose() {
    if (handingOver) {
      return handedOver();
    }
    if (book.pendingCount() > 0 || !writer.isEmpty()) {
      return this;
    }
    job.timers.cancel(CoordinatorMessages.Tick.INSTANCE);
    sampleStages();
    return Closing.start(job, counts.summary(book.total()), hosts());
  }

  /** Samples the stages for the live view and the waiting-items gauges. */
  private void sampleStages() {
    Map<String, long[]> pending = book.pendingByStage();
    hosts.countInFlight(pending);
    job.live.sample(System.nanoTime(), System.currentTimeMillis(), job.meters, pending);
    Map<String, Long> waiting = new HashMap<>();
    pending.forEach((stage, c) -> waiting.put(stage, Math.max(0, c[0] - c[1])));
    job.jobMeters().sampleWaiting(waiting);
  }
}
