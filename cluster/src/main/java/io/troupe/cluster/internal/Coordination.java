package io.troupe.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.actors.TroupeSettings;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.metrics.JobMeters;
import io.troupe.cluster.metrics.TroupeMetrics;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.internal.JobLedger;
import io.troupe.persistence.internal.LedgerProtocol;
import io.troupe.persistence.internal.PersistenceSettings;
import io.troupe.persistence.registry.JobRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.StatusReply;

/**
 * What every phase of one job's coordinator shares (internal API): its actor context, its ledger,
 * the job, who waits for it, its meters and its status (see {@link StatusView}).
 *
 * <p>Implementation notes: created once per coordinator incarnation and handed from phase to phase;
 * touched only from the coordinator's message handlers.
 */
final class Coordination {

  /** The coordinator's tick: batch timeouts are checked and the stages sampled this often. */
  static final Duration LIVE_INTERVAL = Duration.ofSeconds(1);

  /** Samples of the stages kept for the live view: the last five minutes. */
  static final int LIVE_SAMPLES = 300;

  final ActorContext<JobCoordinator.Command> ctx;
  final StashBuffer<JobCoordinator.Command> stash;
  final TimerScheduler<JobCoordinator.Command> timers;
  final ActorRef<ClusterSharding.ShardCommand> shard;
  final String jobId;
  final Pipelines pipelines;
  final JobSettings settings;
  final ActorRef<RegistryWriter.Command> registry;
  final ActorRef<LedgerProtocol.Command> ledger;
  final Executor blocking;
  final String selfNode;
  final StageMeters meters = new StageMeters();
  final LiveStages live = new LiveStages(LIVE_INTERVAL.toMillis(), LIVE_SAMPLES);
  final NodesStayingOut stayingOut = new NodesStayingOut();
  final StatusView status = new StatusView(this);
  private final List<ActorRef<JobStatus>> waiters = new ArrayList<>();
  final List<ActorRef<StatusReply<JobStatus>>> starters = new ArrayList<>();
  JobSpec spec;
  ParsedPipeline parsed;
  private JobMeters jobMeters;
  long startNanos;
  long endNanos;
  private long startedAtMillis;
  private long finishedAtMillis;
  private boolean ranHere;

  Coordination(
      ActorContext<JobCoordinator.Command> ctx,
      StashBuffer<JobCoordinator.Command> stash,
      TimerScheduler<JobCoordinator.Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard,
      String jobId,
      Pipelines pipelines,
      JobSettings settings,
      PersistenceSettings persistence,
      ActorRef<RegistryWriter.Command> registry) {
    this.ctx = ctx;
    this.stash = stash;
    this.timers = timers;
    this.shard = shard;
    this.jobId = jobId;
    this.pipelines = pipelines;
    this.settings = settings;
    this.registry = registry;
    this.selfNode = TroupeNode.hostPort(Cluster.get(ctx.getSystem()).selfMember().address());
    this.blocking =
        ctx.getSystem()
            .dispatchers()
            .lookup(DispatcherSelector.fromConfig(TroupeSettings.BLOCKING_DISPATCHER));
    this.ledger =
        ctx.spawn(
            JobLedger.create(
                jobId,
                persistence,
                s -> ParsedJobs.get(ctx.getSystem()).parse(s, pipelines, settings).combiner()),
            "ledger");
    ctx.watch(ledger);
  }

  /** Parses the job's options, once per job on this node; see {@link ParsedJobs}. */
  ParsedPipeline parse(JobSpec job) {
    return ParsedJobs.get(ctx.getSystem()).parse(job, pipelines, settings);
  }

  /** Returns the job's meters on this node. */
  JobMeters jobMeters() {
    if (jobMeters == null) {
      jobMeters =
          TroupeMetrics.get(ctx.getSystem()).job(jobId, spec == null ? "" : spec.pipeline());
    }
    return jobMeters;
  }

  /** Returns the job's counts as its status shows them now. */
  Over.Counts countsSoFar() {
    JobStatus now = status.now();
    return new Over.Counts(now.items(), now.completed(), now.quarantined(), now.failedAttempts());
  }

  /**
   * Shows the job as still running with the counts its items ended with, while its last step or its
   * cancel is under way.
   */
  void showWindingDown(Over.Counts counts) {
    String pipeline = spec.pipeline();
    status.of(
        () ->
            new JobStatus(
                jobId,
                pipeline,
                JobStatus.RUNNING,
                counts.items(),
                counts.completed(),
                counts.quarantined(),
                0,
                counts.failedAttempts(),
                null,
                null,
                null),
        true);
  }

  /**
   * Sends a batch of outcomes to the ledger in one write; its answer comes back as {@link
   * CoordinatorMessages.Written}.
   */
  void record(List<LedgerProtocol.Entry> batch) {
    ctx.ask(
        LedgerProtocol.Recorded.class,
        ledger,
        settings.ledgerWriteTimeout(),
        r -> new LedgerProtocol.Record(batch, r),
        CoordinatorMessages.Written::new);
  }

  /** Adds a waiter for the job's end. */
  void await(ActorRef<JobStatus> waiter) {
    waiters.add(waiter);
  }

  /**
   * Tells everyone who waits that the job is over, stops its hosts, and schedules passivation.
   *
   * @param hosts the job's hosts
   */
  void ended(Iterable<ActorRef<JobHost.Command>> hosts) {
    if (jobMeters != null) {
      jobMeters.finished();
    }
    recordInRegistry();
    JobStatus last = status.now();
    waiters.forEach(w -> w.tell(last));
    waiters.clear();
    hosts.forEach(h -> h.tell(JobHost.JobFinished.INSTANCE));
    timers.startSingleTimer(
        CoordinatorMessages.RetentionOver.INSTANCE, settings.completedRetention());
  }

  /** Notes that the job's items started, the first time they do. */
  void started() {
    if (startedAtMillis == 0) {
      startedAtMillis = System.currentTimeMillis();
    }
  }

  /** Tells the job registry where this job stands. */
  void recordInRegistry() {
    if (spec == null) {
      return;
    }
    JobStatus now = status.now();
    // Only an incarnation that planned or ran the job adds it to the registry; one woken for a job
    // over long ago (maybe purged since) only updates what is there.
    ranHere |= !now.isFinal() && !now.state().equals(JobStatus.FAILED);
    String summary = null;
    if (now.isFinal()) {
      if (finishedAtMillis == 0) {
        finishedAtMillis = System.currentTimeMillis();
      }
      summary =
          now.error() != null ? now.error() : now.result() == null ? null : now.result().toString();
    }
    registry.tell(
        new RegistryWriter.Record(
            new JobRegistry.Job(
                jobId,
                spec.pipeline(),
                spec.args(),
                null,
                now.state(),
                spec.priority(),
                spec.submittedAt(),
                startedAtMillis,
                now.isFinal() ? finishedAtMillis : 0,
                now.items(),
                now.completed(),
                now.quarantined(),
                now.failedAttempts(),
                summary,
                System.currentTimeMillis()),
            ranHere));
  }

  /** Logs that a node stays out of the job. */
  void logStayingOut(String node, String reason) {
    ctx.getLog()
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
  JsonNode stayingOutJson() {
    if (spec != null) {
      String role = PipelineRoles.of(spec.pipeline());
      for (org.apache.pekko.cluster.Member m : Cluster.get(ctx.getSystem()).state().getMembers()) {
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

  /** Replies to starters with the job's status, or with an error. */
  void answerStarters(List<ActorRef<StatusReply<JobStatus>>> starters, String error) {
    for (ActorRef<StatusReply<JobStatus>> s : starters) {
      s.tell(error == null ? StatusReply.success(status.now()) : StatusReply.error(error));
    }
    starters.clear();
  }
}
