package io.troupe.cluster.internal;

import io.troupe.actors.PoolSettings;
import io.troupe.actors.Quarantined;
import io.troupe.actors.Work;
import io.troupe.actors.internal.WorkerGroup;
import io.troupe.cluster.metrics.JobMeters;
import io.troupe.cluster.metrics.TroupeMetrics;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * One node's share of one job: the job's workers on this node and the link to its coordinator.
 *
 * <p>Implementation notes: spawned by the node's {@link WorkerAgent} when a coordinator asks the
 * node to join a job. It announces its credit (two batches per worker, times the job's priority up
 * to 16) to the coordinator through sharding, at start and every heartbeat, so the coordinator
 * finds it again wherever it is re-created; answers go straight to the incarnation that handed the
 * batch out. Batches arrive only against that credit; their items are fed to the least loaded local
 * worker, each worker holding up to {@code max-in-flight-per-worker}, or more for quick items
 * (about {@code worker-queue.target} of work at their measured time), so a worker goes from item to
 * item without a thread hand-over each time. Workers run on the job-worker dispatcher, apart from
 * the runtime's own actors; the host does not, so that it answers and times items out even while
 * every worker blocks. A worker on one item past the item timeout fails that attempt here, and the
 * items queued behind it go to the other workers. The partials of a batch's completed items are
 * folded into one on this node ({@link HostBatch}), and the batch is answered once, with its items'
 * timings; a worker's exception is a failed attempt of its item (the worker is restarted, at once
 * unless it fails item after item) and the coordinator decides about retries. The host stops, with
 * its workers, when the coordinator says the job is finished.
 */
public final class JobHost extends AbstractBehavior<JobHost.Command> {

  /** Messages a host understands; the public ones may cross nodes. */
  public sealed interface Command extends TroupeMessage {}

  /**
   * Processes a batch of items; the answer goes to {@code replyTo} as one {@link
   * JobCoordinator.BatchDone} once every item is answered.
   *
   * @param handout the coordinator's id for this hand-out
   * @param indices the items' indices in the job
   * @param items the items, in the same order
   * @param attempts the attempt of each item (1 for a first hand-out), or null if all are first
   * @param replyTo the coordinator incarnation that handed it out; answering it directly saves two
   *     hops through sharding, and if that incarnation is gone the answer is lost and the items
   *     simply redone by the next one
   */
  public record Assign(
      long handout,
      int[] indices,
      List<WorkItem<?>> items,
      int[] attempts,
      ActorRef<JobCoordinator.Command> replyTo)
      implements Command {}

  /** The job is over; the host stops. No reply. */
  public enum JobFinished implements Command {
    /** The single instance. */
    INSTANCE
  }

  /** A slot of the node's shares for the next waiting item. No reply. */
  private enum Granted implements Command {
    INSTANCE
  }

  /**
   * The node leaves the cluster (a graceful shutdown): the host tells the coordinator to hand it
   * nothing more, gives back the items no worker has started, lets the workers finish the ones
   * under way, answers every batch and stops. Items still under way after {@code
   * troupe.jobs.leave-timeout} are given back too. No reply: the host stops.
   */
  public enum Leave implements Command {
    /** The single instance. */
    INSTANCE
  }

  /**
   * The job's coordinator knows this host leaves and hands it nothing more (its answer to {@link
   * JobCoordinator.HostLeaving}): once its batches are answered, the host may stop. No reply.
   */
  public enum LeaveNoted implements Command {
    /** The single instance. */
    INSTANCE
  }

  /** The leave timeout is over. No reply. */
  private enum LeaveDue implements Command {
    INSTANCE
  }

  /** Give up on items a worker has held longer than the item timeout. No reply. */
  private enum CheckOverdue implements Command {
    INSTANCE
  }

  /** Announce this host to the coordinator now. No reply. */
  public enum Announce implements Command {
    /** The single instance. */
    INSTANCE
  }

  private record WorkerAnswered(Work.Outcome<ItemResult> outcome) implements Command {}

  private record WorkerStopped(ActorRef<Work<WorkItem<?>, ItemResult>> worker) implements Command {}

  /**
   * Creates the host of one job on this node.
   *
   * @param job the parsed pipeline of the job
   * @param coordinator the job's coordinator, through sharding
   * @param node this node, as host:port
   * @param workers workers to run
   * @param settings job settings
   * @return the host's behavior
   */
  public static Behavior<Command> create(
      ParsedPipeline job,
      EntityRef<JobCoordinator.Command> coordinator,
      String node,
      int workers,
      int priority,
      JobSettings settings) {
    return Behaviors.withTimers(
        timers ->
            Behaviors.setup(
                ctx ->
                    new JobHost(ctx, timers, job, coordinator, node, workers, priority, settings)));
  }

  private final EntityRef<JobCoordinator.Command> coordinator;
  private final String node;
  private final int workers;
  private final int capacity;
  private final WorkerGroup<Command, HostBatch.Piece, WorkItem<?>, ItemResult> group;
  private final JobMeters meters;
  private final Duration itemTimeout;
  private final long queueTargetNanos;
  private final int minCredit;
  private final int maxCredit;
  private double serviceNanosPerItem;
  private final ShareQueue shares;

  /** The hand-outs this host holds unanswered, told to the coordinator with every heartbeat. */
  private final HostBatches open;

  private final TimerScheduler<Command> timers;
  private final Duration leaveTimeout;
  private boolean leaving;

  /** True once the coordinator said it hands this leaving host nothing more. */
  private boolean noted;

  /** The coordinator incarnations that handed this host batches, where answers go directly. */
  private final java.util.Set<ActorRef<JobCoordinator.Command>> handedOutBy =
      new java.util.HashSet<>();

  @SuppressWarnings("unchecked") // adapter class literal of a generic type
  private JobHost(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      ParsedPipeline job,
      EntityRef<JobCoordinator.Command> coordinator,
      String node,
      int workers,
      int priority,
      JobSettings settings) {
    super(ctx);
    this.timers = timers;
    this.leaveTimeout = settings.leaveTimeout();
    this.coordinator = coordinator;
    this.node = node;
    this.workers = workers;
    // A job of a higher priority holds more hand-outs, so that while it shares the node with
    // lower ones it has items waiting for every slot its share gives it (see NodeShares).
    this.capacity = workers * BATCHES_PER_WORKER * Math.min(priority, MAX_CREDIT_FACTOR);
    this.itemTimeout = settings.itemTimeout();
    this.queueTargetNanos = settings.workerQueueTarget().toNanos();
    this.minCredit = settings.maxInFlightPerWorker();
    this.maxCredit = Math.max(minCredit, settings.workerQueueMaxItems());
    this.meters =
        TroupeMetrics.get(ctx.getSystem()).job(coordinator.getEntityId(), job.pipeline().name());
    ActorRef<Work.Outcome<ItemResult>> answers =
        ctx.messageAdapter(
            (Class<Work.Outcome<ItemResult>>) (Class<?>) Work.Outcome.class, WorkerAnswered::new);
    this.open =
        new HostBatches(
            ctx.getSelf(),
            job.combiner(),
            new Sendable(ctx.getSystem(), settings.checkResultsAlways()),
            settings.checkResultsAlways(),
            meters);
    // One attempt here: every failure goes to the coordinator, which decides and logs.
    PoolSettings pool =
        new PoolSettings(
            workers, settings.maxInFlightPerWorker(), 0, 1, 1, settings.workerBackoff());
    this.group =
        new WorkerGroup<>(
            ctx,
            "job " + coordinator.getEntityId(),
            WorkerMdc.wrap(
                job.worker(coordinator.getEntityId(), node, ctx.getSystem()),
                coordinator.getEntityId(),
                job.name()),
            pool,
            HostBatch.Piece::item,
            answers,
            WorkerStopped::new,
            new WorkerGroup.Listener<>() {
              @Override
              public void completed(
                  HostBatch.Piece piece, ItemResult result, WorkerGroup.Timing timing) {
                shares.released(piece);
                if (open.completed(piece, result, timing)) {
                  measured(timing.serviceNanos());
                }
              }

              @Override
              public void quarantined(HostBatch.Piece piece, Quarantined<WorkItem<?>> record) {
                shares.released(piece);
                open.failed(piece, record.errorClass() + ": " + record.reason());
              }
            },
            DispatcherSelector.fromConfig(JobSettings.WORKER_DISPATCHER),
            false,
            // The coordinator counts attempts: workers see them (Task.attempt()), and a retried
            // item's failure does not count towards the worker's backoff.
            HostBatch.Piece::attempt);
    // Joined last: a constructor that throws before this point leaves no share behind.
    ActorRef<Command> self = ctx.getSelf();
    this.shares =
        new ShareQueue(
            NodeShares.get(ctx.getSystem()).join(priority, () -> self.tell(Granted.INSTANCE)),
            group::submit);
    announce();
    Duration heartbeat = settings.hostHeartbeat();
    timers.startTimerWithFixedDelay(Announce.INSTANCE, heartbeat, heartbeat);
    Duration check = overdueCheckInterval(itemTimeout, heartbeat);
    timers.startTimerWithFixedDelay(CheckOverdue.INSTANCE, check, check);
  }

  /**
   * Takes one item's processing time into the average, and gives each worker room for about the
   * worker queue's target of work at that time.
   */
  private void measured(long serviceNanos) {
    if (queueTargetNanos == 0) {
      return;
    }
    serviceNanosPerItem =
        serviceNanosPerItem == 0 ? serviceNanos : 0.9 * serviceNanosPerItem + 0.1 * serviceNanos;
    group.setCreditPerWorker(
        workerCredit(queueTargetNanos, serviceNanosPerItem, minCredit, maxCredit));
  }

  /**
   * Returns how many items a worker may hold: enough for {@code targetNanos} of work at the items'
   * time, within the bounds.
   */
  static int workerCredit(long targetNanos, double serviceNanos, int min, int max) {
    double fit = serviceNanos <= 0 ? max : targetNanos / serviceNanos;
    return (int) Math.max(min, Math.min(max, fit));
  }

  /**
   * Returns the reason an attempt failed for want of an answer, the same whether the host or the
   * coordinator gave up on it.
   */
  static String timedOut(Duration itemTimeout, String node) {
    return "java.util.concurrent.TimeoutException: no answer within "
        + itemTimeout
        + " on node "
        + node;
  }

  /**
   * Returns how often a host looks for overdue items: a quarter of the item timeout, so an item is
   * given up on within 1.25 timeouts, but no more often than every 10 ms nor less often than every
   * heartbeat.
   */
  static Duration overdueCheckInterval(Duration itemTimeout, Duration heartbeat) {
    Duration quarter = itemTimeout.dividedBy(4);
    Duration floor = Duration.ofMillis(10);
    Duration interval = quarter.compareTo(heartbeat) > 0 ? heartbeat : quarter;
    return interval.compareTo(floor) < 0 ? floor : interval;
  }

  /** Batches a host holds per worker: one being worked through, one ready. */
  static final int BATCHES_PER_WORKER = 2;

  /** The most a job's priority multiplies its host's credit by. */
  static final int MAX_CREDIT_FACTOR = 16;

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Assign.class, this::onAssign)
        .onMessage(WorkerAnswered.class, this::onAnswer)
        .onMessage(WorkerStopped.class, this::onWorkerStopped)
        .onMessageEquals(Announce.INSTANCE, this::onAnnounce)
        .onMessageEquals(CheckOverdue.INSTANCE, this::onCheckOverdue)
        .onMessageEquals(Granted.INSTANCE, this::onGranted)
        .onMessageEquals(JobFinished.INSTANCE, Behaviors::stopped)
        .onMessageEquals(Leave.INSTANCE, this::onLeave)
        .onMessageEquals(
            LeaveNoted.INSTANCE,
            () -> {
              noted = true;
              return leftAll();
            })
        .onMessageEquals(LeaveDue.INSTANCE, this::onLeaveDue)
        .onSignal(PostStop.class, stop -> onStop())
        .build();
  }

  private Behavior<Command> onAssign(Assign assign) {
    if (assign.indices().length == 0) {
      return this;
    }
    handedOutBy.add(assign.replyTo());
    if (leaving) {
      open.giveBackAll(assign);
      return this;
    }
    for (HostBatch.Piece piece : open.open(assign).pieces()) {
      shares.offer(piece);
    }
    return this;
  }

  private Behavior<Command> onLeave() {
    if (leaving) {
      return this;
    }
    leaving = true;
    timers.cancel(Announce.INSTANCE);
    // Straight to the incarnations that handed batches out, ahead of this host's answers on the
    // same path, and through sharding for one that never did.
    JobCoordinator.HostLeaving note = new JobCoordinator.HostLeaving(getContext().getSelf());
    handedOutBy.forEach(c -> c.tell(note));
    coordinator.tell(note);
    List<HostBatch.Piece> waiting = new java.util.ArrayList<>(shares.takeWaiting());
    for (HostBatch.Piece piece : group.takeQueued()) {
      shares.released(piece);
      waiting.add(piece);
    }
    for (HostBatch.Piece piece : waiting) {
      if (piece.batch().giveBack(piece.position())) {
        open.answer(piece.batch());
      }
    }
    getContext()
        .getLog()
        .info(
            "Node [{}] leaves job [{}]: {} item(s) given back unstarted, {} batch(es) to finish",
            node,
            coordinator.getEntityId(),
            waiting.size(),
            open.size());
    timers.startSingleTimer(LeaveDue.INSTANCE, leaveTimeout);
    return leftAll();
  }

  private Behavior<Command> onLeaveDue() {
    open.returnAll();
    return Behaviors.stopped();
  }

  /**
   * Returns stopped once a leaving host has answered every batch and its coordinator has noted that
   * it leaves (so no hand-out is still on its way to it), or its leave timeout is over.
   */
  private Behavior<Command> leftAll() {
    return leaving && open.isEmpty() && noted ? Behaviors.stopped() : this;
  }

  private Behavior<Command> onGranted() {
    shares.granted();
    return this;
  }

  private Behavior<Command> onAnswer(WorkerAnswered answered) {
    group.onOutcome(answered.outcome());
    return leftAll();
  }

  @SuppressWarnings("unchecked") // our own workers only
  private Behavior<Command> onWorkerStopped(WorkerStopped stopped) {
    group.onWorkerStopped(stopped.worker());
    return leftAll();
  }

  /**
   * Fails the attempts of items a worker has been under way with past the item timeout, so the rest
   * of their batch is answered and the coordinator retries only them. The worker gets nothing more
   * until it answers, the items queued behind the hung one go to the other workers, and its late
   * answer is ignored.
   */
  private Behavior<Command> onCheckOverdue() {
    for (HostBatch.Piece piece : group.giveUpOverdue(itemTimeout.toNanos())) {
      shares.released(piece);
      open.failed(piece, timedOut(itemTimeout, node));
    }
    return leftAll();
  }

  private Behavior<Command> onAnnounce() {
    announce();
    int held = group.inFlight() + group.queued();
    meters.sampleHost(held, Math.max(0, group.inFlight() - workers) + group.queued());
    return this;
  }

  private Behavior<Command> onStop() {
    shares.leave();
    meters.finished();
    return this;
  }

  private void announce() {
    long[] holding = open.holding();
    coordinator.tell(
        new JobCoordinator.HostReady(getContext().getSelf(), node, workers, capacity, holding));
  }
}
