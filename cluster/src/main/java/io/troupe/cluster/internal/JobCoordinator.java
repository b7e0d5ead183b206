package io.troupe.cluster.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.actors.TroupeSettings;
import io.troupe.actors.internal.WorkDispatch;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.metrics.JobMeters;
import io.troupe.cluster.metrics.TroupeMetrics;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.internal.JobLedger;
import io.troupe.persistence.internal.LedgerEvent;
import io.troupe.persistence.internal.PersistenceSettings;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;

/**
 * The coordinator of one job: a sharded entity keyed by job id that plans the job, hands its items
 * to the nodes' job hosts by credit, and records every outcome in the job's {@link JobLedger}.
 *
 * <p>Implementation notes: the coordinator is not persistent itself; its ledger (a child) is. On
 * every start (first submission, a resume after a crash, or a re-creation on another node after its
 * node died) it first recovers the ledger and rebuilds its {@link JobRun} from it, stashing all
 * other messages meanwhile; an unfinished job then simply continues. Work is pulled: a host
 * announces its capacity (workers times max-in-flight-per-worker) and never holds more; hosts find
 * the coordinator through sharding, so they keep reaching it wherever it moves, and they
 * re-announce themselves every heartbeat. Outcomes are batched to the ledger, one write in flight
 * at a time, so dispatch never waits for the database. An item is retried after a backoff and
 * quarantined after {@code max-attempts}; an item not answered within {@code item-timeout}, or held
 * by a host whose node left, is handed out again. The job is closed in the ledger once every item
 * is completed or quarantined and every outcome is written.
 */
public final class JobCoordinator extends AbstractBehavior<JobCoordinator.Command> {

  /** The sharded entity type of coordinators. */
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "TroupeJob");

  /** Messages a coordinator understands; the public ones may cross nodes. */
  public sealed interface Command extends TroupeMessage {}

  /**
   * Starts a new job (or confirms one already started with the same pipeline); replies with its
   * status once its items are recorded, or with an error.
   *
   * @param spec the job
   * @param replyTo where the answer goes
   */
  public record Start(JobSpec spec, ActorRef<StatusReply<JobStatus>> replyTo) implements Command {}

  /**
   * Continues a job from its ledger; replies with its status, or an error if there is no such job.
   *
   * @param replyTo where the answer goes
   */
  public record Resume(ActorRef<StatusReply<JobStatus>> replyTo) implements Command {}

  /**
   * Asks for the job's status; replies with a {@link JobStatus}.
   *
   * @param replyTo where the answer goes
   */
  public record GetStatus(ActorRef<JobStatus> replyTo) implements Command {}

  /**
   * Asks to be told when the job is over; replies with its final {@link JobStatus}.
   *
   * @param replyTo where the answer goes
   */
  public record AwaitCompletion(ActorRef<JobStatus> replyTo) implements Command {}

  /**
   * A node's job host is ready for work (sent again every heartbeat); no reply, items follow.
   *
   * @param host the host
   * @param node the host's node, as host:port
   * @param workers the host's workers
   * @param capacity items the host may hold at once
   */
  public record HostReady(ActorRef<JobHost.Command> host, String node, int workers, int capacity)
      implements Command {}

  /**
   * A node cannot work on this job (it lacks the job's pipeline, or cannot parse its options); no
   * reply. The job goes on without it, and its status and report name the node.
   *
   * @param node the node, as host:port
   * @param reason why, in one line
   */
  public record HostUnavailable(String node, String reason) implements Command {}

  /**
   * A worker processed an item; no reply.
   *
   * @param host the host that handed it to the worker
   * @param handout the hand-out answered
   * @param item the item's id
   * @param stage the item's stage
   * @param partial the item's partial result
   * @param newItems items the worker discovered
   * @param latencyNanos hand-out to answer, measured on the host
   * @param serviceNanos the item's processing time, measured on the host
   * @param queuedAhead items the worker held when this one was handed out
   */
  public record ItemDone(
      ActorRef<JobHost.Command> host,
      long handout,
      String item,
      String stage,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@type") TroupeMessage partial,
      List<WorkItem<?>> newItems,
      long latencyNanos,
      long serviceNanos,
      int queuedAhead)
      implements Command {}

  /**
   * A worker failed on an item; no reply.
   *
   * @param host the host that handed it to the worker
   * @param handout the hand-out that failed
   * @param item the item's id
   * @param reason exception class and message
   */
  public record ItemFailed(ActorRef<JobHost.Command> host, long handout, String item, String reason)
      implements Command {}

  private record Recovered(JobLedger.Recovered recovered, Throwable error) implements Command {}

  private record Planned(List<WorkItem<?>> items, Throwable error) implements Command {}

  private record Submitted(StatusReply<JobLedger.Progress> reply, Throwable error)
      implements Command {}

  private record Written(JobLedger.Recorded recorded, Throwable error) implements Command {}

  private record Closed(StatusReply<LedgerEvent.JobCompleted> reply, Throwable error)
      implements Command {}

  private record Finished(TroupeMessage partial, Throwable error) implements Command {}

  private enum RetryFinish implements Command {
    INSTANCE
  }

  private record AgentsChanged(Receptionist.Listing listing) implements Command {}

  private record HostLeft(ActorRef<JobHost.Command> host) implements Command {}

  private record RetryDue(String item) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  /** The flush interval of the oldest unwritten outcome has passed. */
  private enum FlushDue implements Command {
    INSTANCE
  }

  /** Sent by the shard to stop the entity (passivation or rebalancing). */
  private enum Passivate implements Command {
    INSTANCE
  }

  /** Our own timer: ask the shard to passivate us once a finished job has been kept long enough. */
  private enum RetentionOver implements Command {
    INSTANCE
  }

  /** The coordinator's tick: item timeouts are checked and the stages sampled this often. */
  private static final Duration LIVE_INTERVAL = Duration.ofSeconds(1);

  /** Samples of the stages kept for the live view: the last five minutes. */
  private static final int LIVE_SAMPLES = 300;

  private enum Phase {
    RECOVERING,
    IDLE,
    PLANNING,
    RUNNING,
    FINISHING,
    CLOSING,
    DONE,
    FAILED
  }

  /**
   * Registers the coordinator entity with cluster sharding on this node.
   *
   * @param system the node's actor system
   * @param pipelines the pipelines jobs may run
   * @param index the node's list of recent jobs, which coordinators keep up to date
   */
  public static void init(
      ActorSystem<?> system, Pipelines pipelines, ActorRef<JobIndex.Command> index) {
    PersistenceSettings persistence = PersistenceSettings.create(system.settings().config());
    JobSettings settings = JobSettings.create(system);
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    TYPE_KEY,
                    entity ->
                        Behaviors.<Command>withStash(
                            10_000,
                            stash ->
                                Behaviors.withTimers(
                                    timers ->
                                        Behaviors.setup(
                                            ctx ->
                                                new JobCoordinator(
                                                    ctx,
                                                    stash,
                                                    timers,
                                                    entity.getShard(),
                                                    entity.getEntityId(),
                                                    pipelines,
                                                    settings,
                                                    persistence,
                                                    index)))))
                .withStopMessage(Passivate.INSTANCE)
                // A job's coordinator runs only on a node that has the job's pipeline.
                .withMessageExtractor(
                    new io.troupe.cluster.internal.PipelineShards<Command>(
                        shardsPerPipeline(system), JobIds::pipelineOf))
                .withAllocationStrategy(new io.troupe.cluster.internal.PipelineAllocationStrategy())
                // A job must not be stopped for being quiet (planning a big input, say): the
                // coordinator passivates itself once its finished job has been kept long enough.
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  /** Shards per pipeline of an entity type: {@code pekko.cluster.sharding.number-of-shards}. */
  static int shardsPerPipeline(ActorSystem<?> system) {
    return system.settings().config().getInt("pekko.cluster.sharding.number-of-shards");
  }

  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final String jobId;
  private final Pipelines pipelines;
  private final JobSettings settings;
  private final ActorRef<JobIndex.Command> index;
  private final ActorRef<JobLedger.Command> ledger;
  private final Executor blocking;
  private final StageMeters meters = new StageMeters();
  private final LiveStages live = new LiveStages(LIVE_INTERVAL.toMillis(), LIVE_SAMPLES);
  private JobMeters jobMeters;
  private long endNanos;
  private final Map<ActorRef<JobHost.Command>, String> hostNodes = new HashMap<>();
  private final NodesStayingOut stayingOut = new NodesStayingOut();
  private final Set<ActorRef<WorkerAgent.Command>> contactedAgents = new HashSet<>();
  private final List<ActorRef<JobStatus>> waiters = new ArrayList<>();
  private final List<ActorRef<StatusReply<JobStatus>>> starters = new ArrayList<>();
  private Phase phase = Phase.RECOVERING;
  private JobSpec spec;
  private ParsedPipeline parsed;
  private boolean warnedDropped;
  private int finishAttempts;
  private int writeFailures;
  private JobRun<ActorRef<JobHost.Command>> run;
  private JobLedger.Progress recoveredProgress = new JobLedger.Progress(0, 0, 0, 0);
  private LedgerEvent.JobCompleted outcome;
  private String error;
  private long startNanos;
  private final String selfNode;

  private JobCoordinator(
      ActorContext<Command> ctx,
      StashBuffer<Command> stash,
      TimerScheduler<Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard,
      String jobId,
      Pipelines pipelines,
      JobSettings settings,
      PersistenceSettings persistence,
      ActorRef<JobIndex.Command> index) {
    super(ctx);
    this.index = index;
    this.stash = stash;
    this.timers = timers;
    this.shard = shard;
    this.jobId = jobId;
    this.selfNode =
        TroupeNode.hostPort(
            org.apache.pekko.cluster.typed.Cluster.get(ctx.getSystem()).selfMember().address());
    this.pipelines = pipelines;
    this.settings = settings;
    this.blocking =
        ctx.getSystem()
            .dispatchers()
            .lookup(DispatcherSelector.fromConfig(TroupeSettings.BLOCKING_DISPATCHER));
    this.ledger = ctx.spawn(JobLedger.create(jobId, persistence, this::logicFor), "ledger");
    ctx.watch(ledger);
    ctx.ask(
        JobLedger.Recovered.class,
        ledger,
        Duration.ofMinutes(5),
        JobLedger.GetState::new,
        Recovered::new);
  }

  private Combiner<TroupeMessage> logicFor(JobSpec s) {
    return settings.parse(pipelines.get(s.pipeline()), s.args()).combiner();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Recovered.class, this::onRecovered)
        .onMessage(Command.class, m -> phase == Phase.RECOVERING, this::stashIt)
        .onMessage(Start.class, this::onStart)
        .onMessage(Planned.class, this::onPlanned)
        .onMessage(Submitted.class, this::onSubmitted)
        .onMessage(Resume.class, this::onResume)
        .onMessage(GetStatus.class, g -> reply(g.replyTo()))
        .onMessage(AwaitCompletion.class, this::onAwait)
        .onMessage(AgentsChanged.class, this::onAgents)
        .onMessage(HostReady.class, this::onHostReady)
        .onMessage(HostUnavailable.class, this::onHostUnavailable)
        .onMessage(ItemDone.class, this::onItemDone)
        .onMessage(ItemFailed.class, this::onItemFailed)
        .onMessage(RetryDue.class, this::onRetryDue)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessageEquals(FlushDue.INSTANCE, this::onFlushDue)
        .onMessage(HostLeft.class, this::onHostLeft)
        .onMessage(Written.class, this::onWritten)
        .onMessage(Closed.class, this::onClosed)
        .onMessage(Finished.class, this::onFinished)
        .onMessageEquals(
            RetryFinish.INSTANCE, () -> phase == Phase.FINISHING ? runFinisher() : this)
        .onMessageEquals(RetentionOver.INSTANCE, this::onRetentionOver)
        .onMessageEquals(Passivate.INSTANCE, Behaviors::stopped)
        .onSignal(ChildFailed.class, f -> onLedgerStopped(f.getCause()))
        .onSignal(Terminated.class, t -> onLedgerStopped(null))
        .build();
  }

  private Behavior<Command> stashIt(Command command) {
    stash.stash(command);
    return this;
  }

  private Behavior<Command> onRecovered(Recovered message) {
    if (message.error() != null) {
      return fail("the ledger of job " + jobId + " did not answer: " + message.error());
    }
    JobLedger.Recovered r = message.recovered();
    if (r.error() != null && r.outcome() == null) {
      spec = r.spec();
      return fail("cannot continue job " + jobId + ": " + r.error());
    }
    recoveredProgress = r.progress();
    spec = r.spec();
    if (r.outcome() != null) {
      outcome = r.outcome();
      phase = Phase.DONE;
    } else if (spec == null) {
      phase = Phase.IDLE;
    } else {
      getContext()
          .getLog()
          .info(
              "Continuing job [{}] from its ledger: {} item(s) pending, {} completed",
              jobId,
              r.pending().size(),
              r.progress().completed());
      try {
        parsed = settings.parse(pipelines.get(spec.pipeline()), spec.args());
      } catch (RuntimeException e) {
        return fail("cannot continue job " + jobId + ": " + e.getMessage());
      }
      startRunning(
          new JobRun<>(
              r.pending(),
              r.failures(),
              r.progress().completed(),
              r.finished(),
              r.started(),
              settings.maxAttempts()));
    }
    return stash.unstashAll(this);
  }

  private Behavior<Command> onStart(Start start) {
    switch (phase) {
      case IDLE -> {
        if (!start.spec().jobId().equals(jobId)) {
          start.replyTo().tell(StatusReply.error("job id does not match its coordinator"));
          return this;
        }
        try {
          parsed = settings.parse(pipelines.get(start.spec().pipeline()), start.spec().args());
          settings.checkPlanSize(parsed);
        } catch (RuntimeException e) {
          start.replyTo().tell(StatusReply.error(e.getMessage()));
          return this;
        }
        ParsedPipeline toPlan = parsed;
        spec = start.spec();
        phase = Phase.PLANNING;
        startNanos = System.nanoTime();
        starters.add(start.replyTo());
        getContext()
            .getLog()
            .info("Planning job [{}] ({} {})", jobId, spec.pipeline(), spec.args());
        getContext()
            .pipeToSelf(
                CompletableFuture.supplyAsync(() -> planOrThrow(toPlan), blocking), Planned::new);
      }
      case PLANNING -> starters.add(start.replyTo());
      case FAILED -> start.replyTo().tell(StatusReply.error(error));
      default -> {
        if (spec.pipeline().equals(start.spec().pipeline())) {
          start.replyTo().tell(StatusReply.success(status()));
        } else {
          start
              .replyTo()
              .tell(StatusReply.error("job " + jobId + " already exists for " + spec.pipeline()));
        }
      }
    }
    return this;
  }

  private static List<WorkItem<?>> planOrThrow(ParsedPipeline parsed) {
    try {
      return parsed.plan();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new java.util.concurrent.CompletionException(e);
    }
  }

  private Behavior<Command> onPlanned(Planned planned) {
    if (planned.error() != null) {
      Throwable cause =
          planned.error() instanceof java.util.concurrent.CompletionException
                  && planned.error().getCause() != null
              ? planned.error().getCause()
              : planned.error();
      return fail("planning job " + jobId + " failed: " + describe(cause));
    }
    List<WorkItem<?>> items = planned.items();
    if (items.size() > settings.maxItems()) {
      return fail(
          "planning job "
              + jobId
              + " failed: "
              + settings.tooManyItems(spec.pipeline(), items.size()));
    }
    getContext()
        .ask(
            statusReplyClass(),
            ledger,
            Duration.ofMinutes(5),
            (ActorRef<StatusReply<JobLedger.Progress>> r) -> new JobLedger.Submit(spec, items, r),
            Submitted::new);
    run = new JobRun<>(items, Map.of(), 0, Set.of(), Set.of(), settings.maxAttempts());
    return this;
  }

  @SuppressWarnings("unchecked") // ask needs the reply class; StatusReply is generic
  private static Class<StatusReply<JobLedger.Progress>> statusReplyClass() {
    return (Class<StatusReply<JobLedger.Progress>>) (Class<?>) StatusReply.class;
  }

  private Behavior<Command> onSubmitted(Submitted submitted) {
    if (submitted.error() != null || submitted.reply().isError()) {
      String why =
          submitted.error() != null
              ? describe(submitted.error())
              : submitted.reply().getError().getMessage();
      return fail("recording job " + jobId + " failed: " + why);
    }
    getContext().getLog().info("Job [{}] has {} item(s)", jobId, run.items());
    startRunning(run);
    for (ActorRef<StatusReply<JobStatus>> s : starters) {
      s.tell(StatusReply.success(status()));
    }
    starters.clear();
    return maybeClose();
  }

  private void startRunning(JobRun<ActorRef<JobHost.Command>> newRun) {
    newRun.limitItems(Math.min(parsed.maxItems(), settings.maxItems()));
    run = newRun;
    phase = Phase.RUNNING;
    if (startNanos == 0) {
      startNanos = System.nanoTime();
    }
    ActorRef<Receptionist.Listing> adapter =
        getContext().messageAdapter(Receptionist.Listing.class, AgentsChanged::new);
    getContext().getSystem().receptionist().tell(Receptionist.subscribe(WorkerAgent.KEY, adapter));
    timers.startTimerWithFixedDelay(Tick.INSTANCE, LIVE_INTERVAL);
    sampleStages();
    recordInIndex();
  }

  /** Tells the cluster's job list where this job stands. */
  private void recordInIndex() {
    if (spec != null) {
      JobStatus now = status();
      index.tell(
          new JobIndex.Record(
              new JobIndex.Entry(
                  jobId,
                  spec.pipeline(),
                  now.state(),
                  now.items(),
                  now.completed(),
                  spec.submittedAt())));
    }
  }

  private Behavior<Command> onResume(Resume resume) {
    switch (phase) {
      case IDLE ->
          resume.replyTo().tell(StatusReply.error("there is no job " + jobId + " to resume"));
      case FAILED -> resume.replyTo().tell(StatusReply.error(error));
      default -> resume.replyTo().tell(StatusReply.success(status()));
    }
    return this;
  }

  private Behavior<Command> onAwait(AwaitCompletion await) {
    JobStatus now = status();
    if (now.isFinal() || phase == Phase.IDLE) {
      await.replyTo().tell(now);
    } else {
      waiters.add(await.replyTo());
    }
    return this;
  }

  private Behavior<Command> onAgents(AgentsChanged changed) {
    if (phase != Phase.RUNNING) {
      return this;
    }
    for (ActorRef<WorkerAgent.Command> agent :
        changed.listing().getServiceInstances(WorkerAgent.KEY)) {
      if (contactedAgents.add(agent)) {
        agent.tell(new WorkerAgent.JoinJob(spec));
      }
    }
    return this;
  }

  private Behavior<Command> onHostReady(HostReady ready) {
    if (phase == Phase.DONE || phase == Phase.FAILED) {
      ready.host().tell(JobHost.JobFinished.INSTANCE);
    } else if (phase == Phase.RUNNING && !run.hasHost(ready.host())) {
      run.addHost(ready.host(), ready.capacity());
      hostNodes.put(ready.host(), ready.node());
      meters.node(ready.node(), ready.workers());
      getContext().watchWith(ready.host(), new HostLeft(ready.host()));
      getContext()
          .getLog()
          .info(
              "Node [{}] works on job [{}] with {} worker(s)",
              ready.node(),
              jobId,
              ready.workers());
      handOut();
    }
    return this;
  }

  private Behavior<Command> onHostUnavailable(HostUnavailable refused) {
    if (stayingOut.note(refused.node(), refused.reason())) {
      logStayingOut(refused.node(), refused.reason());
    }
    return this;
  }

  private void logStayingOut(String node, String reason) {
    getContext()
        .getLog()
        .warn(
            "Node [{}] cannot work on job [{}]; the job goes on without it: {}",
            node,
            jobId,
            reason);
  }

  /**
   * Returns the nodes that stay out of the job, as {@code [{node, reason}]}, or null. Members that
   * lack the job's pipeline announce it in their roles, so they show at once, with no answer from
   * them needed.
   */
  private JsonNode stayingOutJson() {
    if (spec != null) {
      String role = PipelineRoles.of(spec.pipeline());
      for (org.apache.pekko.cluster.Member m :
          org.apache.pekko.cluster.typed.Cluster.get(getContext().getSystem())
              .state()
              .getMembers()) {
        String node = TroupeNode.hostPort(m.address());
        if (m.status() == org.apache.pekko.cluster.MemberStatus.up()
            && !m.hasRole(role)
            && stayingOut.noteLacking(node, spec.pipeline())) {
          logStayingOut(node, "it does not have pipeline '" + spec.pipeline() + "'");
        }
      }
    }
    return stayingOut.toJson();
  }

  private Behavior<Command> onItemDone(ItemDone done) {
    if (phase != Phase.RUNNING) {
      return this;
    }
    if (run.done(done.handout(), done.item(), done.partial(), done.newItems())) {
      meters.record(done.stage(), done.latencyNanos(), done.serviceNanos(), done.queuedAhead());
      if (run.dropped() > 0 && !warnedDropped && settings.maxItems() < parsed.maxItems()) {
        warnedDropped = true;
        getContext()
            .getLog()
            .warn(
                "Job [{}] has {} items, as many as troupe.jobs.max-items allows; items its"
                    + " workers discover from now on are dropped",
                jobId,
                settings.maxItems());
      }
    }
    handOut();
    flush();
    return maybeClose();
  }

  private Behavior<Command> onItemFailed(ItemFailed failed) {
    if (phase != Phase.RUNNING) {
      return this;
    }
    String stage = run.stageOf(failed.item());
    afterFailure(
        run.failed(failed.handout(), failed.item(), failed.reason()),
        failed.item(),
        stage,
        failed.reason());
    handOut();
    flush();
    return maybeClose();
  }

  private void afterFailure(JobRun.Verdict verdict, String item, String stage, String reason) {
    switch (verdict) {
      case RETRY -> {
        jobMeters().retried(stage);
        int failures = run.failuresOf(item);
        getContext()
            .getLog()
            .warn(
                "Item [{}] of job [{}] failed on attempt {} of {}, retrying: {}",
                item,
                jobId,
                failures,
                settings.maxAttempts(),
                reason);
        timers.startSingleTimer(new RetryDue(item), settings.retryDelay(failures));
      }
      case QUARANTINE -> {
        jobMeters().quarantined(stage);
        getContext()
            .getLog()
            .error(
                "Item [{}] of job [{}] quarantined after {} attempt(s): {}",
                item,
                jobId,
                settings.maxAttempts(),
                reason);
      }
      case IGNORE -> {}
    }
  }

  private Behavior<Command> onRetryDue(RetryDue due) {
    if (phase == Phase.RUNNING) {
      run.retryDue(due.item());
      handOut();
    }
    return this;
  }

  private Behavior<Command> onTick() {
    if (phase != Phase.RUNNING) {
      return this;
    }
    recordInIndex();
    sampleStages();
    long deadline = System.nanoTime() - settings.itemTimeout().toNanos();
    for (WorkDispatch.Assignment<ActorRef<JobHost.Command>, WorkItem<?>> a :
        run.handedOutBefore(deadline)) {
      String reason =
          "java.util.concurrent.TimeoutException: no answer within "
              + settings.itemTimeout()
              + " on node "
              + hostNodes.getOrDefault(a.worker(), "?");
      afterFailure(
          run.failed(a.id(), a.task().id(), reason), a.task().id(), a.task().stage(), reason);
    }
    handOut();
    flush();
    return maybeClose();
  }

  /** Samples the stages for the live view and the waiting-items gauges. */
  private void sampleStages() {
    Map<String, long[]> pending = run.pendingByStage();
    live.sample(System.nanoTime(), System.currentTimeMillis(), meters, pending);
    Map<String, Long> waiting = new HashMap<>();
    pending.forEach((stage, counts) -> waiting.put(stage, Math.max(0, counts[0] - counts[1])));
    jobMeters().sampleWaiting(waiting);
  }

  private JobMeters jobMeters() {
    if (jobMeters == null) {
      jobMeters =
          TroupeMetrics.get(getContext().getSystem())
              .job(jobId, spec == null ? "" : spec.pipeline());
    }
    return jobMeters;
  }

  private Behavior<Command> onHostLeft(HostLeft left) {
    if (phase == Phase.RUNNING && run.hasHost(left.host())) {
      int requeued = run.removeHost(left.host());
      getContext()
          .getLog()
          .warn(
              "Node [{}] left job [{}]; handing its {} item(s) to the others",
              hostNodes.get(left.host()),
              jobId,
              requeued);
      handOut();
    }
    return this;
  }

  private void handOut() {
    for (WorkDispatch.Assignment<ActorRef<JobHost.Command>, WorkItem<?>> a :
        run.handOut(settings.ledgerMaxUnwritten())) {
      a.worker().tell(new JobHost.Assign(a.id(), a.task(), a.attempt(), getContext().getSelf()));
    }
  }

  /**
   * Writes waiting outcomes when a batch is full or the job has no items left; otherwise makes sure
   * a write happens within the flush interval.
   */
  private void flush() {
    if (run.isWriting() || run.unwrittenCount() == 0) {
      return;
    }
    if (run.unwrittenCount() < settings.ledgerMaxBatch() && !run.allItemsDone()) {
      if (!timers.isTimerActive(FlushDue.INSTANCE)) {
        timers.startSingleTimer(FlushDue.INSTANCE, settings.ledgerFlushInterval());
      }
      return;
    }
    write();
  }

  private Behavior<Command> onFlushDue() {
    if (run != null && !run.isWriting()) {
      write();
    }
    return this;
  }

  private void write() {
    timers.cancel(FlushDue.INSTANCE);
    List<JobLedger.Entry> batch = run.takeBatch(settings.ledgerMaxBatch());
    if (!batch.isEmpty()) {
      getContext()
          .ask(
              JobLedger.Recorded.class,
              ledger,
              settings.ledgerWriteTimeout(),
              r -> new JobLedger.Record(batch, r),
              Written::new);
    }
  }

  private Behavior<Command> onWritten(Written written) {
    if (run == null) {
      return this;
    }
    if (written.error() != null) {
      run.batchFailed();
      if (++writeFailures >= settings.ledgerMaxWriteFailures()) {
        return fail(
            "the ledger could not be written "
                + writeFailures
                + " times in a row (last: "
                + describe(written.error())
                + "); resume the job once the database is back");
      }
      getContext()
          .getLog()
          .warn(
              "Ledger write for job [{}] failed ({} in a row), resending: {}",
              jobId,
              writeFailures,
              written.error().toString());
    } else {
      writeFailures = 0;
      if (written.recorded().ignored() > 0) {
        // The coordinator only sends outcomes of items it holds pending; the ledger dropping
        // some means the two disagree, which would leave the job unable to close.
        getContext()
            .getLog()
            .warn(
                "The ledger of job [{}] ignored {} outcome(s) the coordinator counted",
                jobId,
                written.recorded().ignored());
      }
      run.batchWritten();
      handOut(); // hand-outs held back while the ledger lagged may go now
    }
    flush();
    return maybeClose();
  }

  private Behavior<Command> maybeClose() {
    if (phase != Phase.RUNNING || !run.isFinished()) {
      return this;
    }
    timers.cancel(Tick.INSTANCE);
    phase = Phase.FINISHING;
    return runFinisher();
  }

  private Behavior<Command> runFinisher() {
    finishAttempts++;
    java.util.Optional<java.util.concurrent.CompletionStage<TroupeMessage>> step;
    try {
      step = parsed.finish(jobId, selfNode, getContext().getSystem());
    } catch (RuntimeException e) {
      getContext().getSelf().tell(new Finished(null, e));
      return this;
    }
    if (step.isEmpty()) {
      return close(null);
    }
    getContext().pipeToSelf(step.get(), Finished::new);
    return this;
  }

  private Behavior<Command> onFinished(Finished finished) {
    if (phase != Phase.FINISHING) {
      return this;
    }
    if (finished.error() != null) {
      if (finishAttempts >= settings.maxAttempts()) {
        return fail("the last step of job " + jobId + " failed: " + describe(finished.error()));
      }
      getContext()
          .getLog()
          .warn(
              "The last step of job [{}] failed (attempt {}), retrying: {}",
              jobId,
              finishAttempts,
              finished.error().toString());
      timers.startSingleTimer(RetryFinish.INSTANCE, settings.retryDelay(finishAttempts));
      return this;
    }
    return close(finished.partial());
  }

  private Behavior<Command> close(TroupeMessage finalPartial) {
    phase = Phase.CLOSING;
    sampleStages();
    endNanos = System.nanoTime();
    ObjectNode report =
        meters.report(
            System.nanoTime() - startNanos,
            run.items(),
            run.failedAttempts(),
            run.redispatched(),
            run.quarantined(),
            recoveredProgress.quarantined() + run.quarantined(),
            run.completedBefore(),
            run.redone());
    for (JsonNode stage : report.path("stages")) {
      ((ObjectNode) stage).put("maxWaiting", live.maxWaiting(stage.path("name").asText()));
    }
    JsonNode stayedOut = stayingOutJson();
    if (stayedOut != null) {
      report.set("unavailable", stayedOut);
    }
    getContext()
        .ask(
            closedReplyClass(),
            ledger,
            Duration.ofMinutes(5),
            r -> new JobLedger.Complete(report, finalPartial, r),
            Closed::new);
    return this;
  }

  @SuppressWarnings("unchecked") // ask needs the reply class; StatusReply is generic
  private static Class<StatusReply<LedgerEvent.JobCompleted>> closedReplyClass() {
    return (Class<StatusReply<LedgerEvent.JobCompleted>>) (Class<?>) StatusReply.class;
  }

  private Behavior<Command> onClosed(Closed closed) {
    if (closed.error() != null || closed.reply().isError()) {
      String why =
          closed.error() != null
              ? describe(closed.error())
              : closed.reply().getError().getMessage();
      return fail("closing job " + jobId + " failed: " + why);
    }
    outcome = closed.reply().getValue();
    phase = Phase.DONE;
    getContext().getLog().info("Job [{}] {}", jobId, outcome.status());
    finish();
    return this;
  }

  private Behavior<Command> onLedgerStopped(Throwable cause) {
    if (phase == Phase.DONE) {
      return this;
    }
    return fail(
        "the ledger of job " + jobId + " stopped" + (cause == null ? "" : ": " + describe(cause)));
  }

  private Behavior<Command> fail(String why) {
    getContext().getLog().error("Job [{}] failed: {}", jobId, why);
    error = why;
    phase = Phase.FAILED;
    timers.cancel(Tick.INSTANCE);
    for (ActorRef<StatusReply<JobStatus>> s : starters) {
      s.tell(StatusReply.error(why));
    }
    starters.clear();
    finish();
    return stash.isEmpty() ? this : stash.unstashAll(this);
  }

  private void finish() {
    if (jobMeters != null) {
      jobMeters.finished();
    }
    recordInIndex();
    JobStatus last = status();
    waiters.forEach(w -> w.tell(last));
    waiters.clear();
    hostNodes.keySet().forEach(h -> h.tell(JobHost.JobFinished.INSTANCE));
    timers.startSingleTimer(RetentionOver.INSTANCE, settings.completedRetention());
  }

  private Behavior<Command> onRetentionOver() {
    shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
    return this;
  }

  private Behavior<Command> reply(ActorRef<JobStatus> replyTo) {
    replyTo.tell(status());
    return this;
  }

  private JobStatus status() {
    JobStatus here = statusHere().withCoordinator(selfNode).withUnavailable(stayingOutJson());
    if (startNanos == 0 || run == null || !(phase.compareTo(Phase.RUNNING) >= 0)) {
      return here;
    }
    long wall = (endNanos != 0 ? endNanos : System.nanoTime()) - startNanos;
    return here.withLive(live.toJson(meters, wall));
  }

  private JobStatus statusHere() {
    String pipeline = spec == null ? "" : spec.pipeline();
    return switch (phase) {
      case RECOVERING, IDLE -> JobStatus.unknown(jobId);
      case PLANNING ->
          new JobStatus(jobId, pipeline, JobStatus.STARTING, 0, 0, 0, 0, 0, null, null, null);
      case FAILED ->
          new JobStatus(
              jobId,
              pipeline,
              JobStatus.FAILED,
              run == null ? recoveredProgress.added() : run.items(),
              completedCount(),
              quarantinedCount(),
              0,
              failedCount(),
              null,
              null,
              error);
      case DONE ->
          new JobStatus(
              jobId,
              pipeline,
              outcome.status(),
              run == null ? recoveredProgress.added() : run.items(),
              completedCount(),
              quarantinedCount(),
              0,
              failedCount(),
              outcome.result(),
              outcome.report(),
              null);
      case RUNNING, FINISHING, CLOSING ->
          new JobStatus(
              jobId,
              pipeline,
              JobStatus.RUNNING,
              run.items(),
              completedCount(),
              quarantinedCount(),
              run.inFlight(),
              failedCount(),
              null,
              null,
              null);
    };
  }

  private long completedCount() {
    return run == null ? recoveredProgress.completed() : run.completedBefore() + run.completed();
  }

  private long quarantinedCount() {
    return recoveredProgress.quarantined() + (run == null ? 0 : run.quarantined());
  }

  private long failedCount() {
    return recoveredProgress.failedAttempts() + (run == null ? 0 : run.failedAttempts());
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null
        ? t.getClass().getName()
        : t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
