package io.troupe.cluster.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.troupe.cluster.JobStatus;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.internal.JobLedger;
import io.troupe.persistence.internal.PersistenceSettings;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;

/**
 * The coordinator of one job: a sharded entity keyed by job id that plans the job, hands its items
 * to the nodes' job hosts in batches, and records every outcome in the job's {@link JobLedger}.
 * This class holds its protocol; one behavior per phase does the work: {@link Recovering} (the
 * ledger, then the item book), {@link Planning} (a new job), {@link Running} (dispatch), {@link
 * Closing} (the last step, the result, the close) or {@link Canceling} (the cancel) and {@link
 * Over} (answers until passivated).
 *
 * <p>Implementation notes: the coordinator is not persistent itself; its ledger (a child) is. On
 * every start (first submission, a resume after a crash, or a re-creation on another node after its
 * node died) it first recovers the ledger and rebuilds its {@link ItemBook} from it, stashing all
 * other messages meanwhile; an unfinished job then simply continues. Work is pulled: a host
 * announces its credit (workers times max-in-flight-per-worker hand-outs) and never holds more;
 * each hand-out is a batch sized to hold about {@code troupe.jobs.batch.target} of work; the host
 * folds its completed items' partials into one before answering. Hosts find the coordinator through
 * sharding, so they keep reaching it wherever it moves, and they re-announce themselves every
 * heartbeat. Outcomes are batched to the ledger, one write in flight at a time, so dispatch never
 * waits for the database. An item is retried after a backoff and quarantined after {@code
 * max-attempts}; a batch not answered in time, or held by a host whose node left, is handed out
 * again. The job is closed once every item is completed or quarantined and every outcome is
 * written; its result is rendered on the blocking dispatcher, not in the ledger.
 */
public final class JobCoordinator {

  private JobCoordinator() {}

  /** The sharded entity type of coordinators. */
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "TroupeJob");

  /** Messages a coordinator understands; the public ones may cross nodes. */
  public interface Command extends TroupeMessage {}

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
   * Cancels the job: no item is handed out from now on, items in flight are abandoned, and the
   * ledger records the job as {@code canceled}, so it is never resumed. Replies with the job's
   * status once that is recorded: {@code canceled}, or the state of a job that was over already; an
   * error if there is no such job. A job being planned is canceled once its plan is recorded.
   *
   * @param replyTo where the answer goes
   */
  public record Cancel(ActorRef<StatusReply<JobStatus>> replyTo) implements Command {}

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
   * @param holding the hand-outs the host holds unanswered: still under way there (in its workers,
   *     or waiting for its job's share of the node), so they are not lost
   */
  public record HostReady(
      ActorRef<JobHost.Command> host, String node, int workers, int capacity, long[] holding)
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
   * A host worked through a batch of items; no reply.
   *
   * @param host the host that held the batch
   * @param handout the hand-out answered
   * @param completed the indices of the items completed
   * @param partial their partials, combined on the host; null if none completed
   * @param newItems items their workers discovered
   * @param failures the items whose attempt failed, with the reason
   * @param returned items processed whose combined answer could not be sent (over the frame size,
   *     or not serializable), or still under way when their leaving node could wait no longer; not
   *     an attempt of theirs: they go out again one by one
   * @param unstarted items given back before any worker started them (the host's node leaves): they
   *     go out again as if never handed out
   * @param stages timings of the completed items, per stage
   */
  public record BatchDone(
      ActorRef<JobHost.Command> host,
      long handout,
      int[] completed,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@type") TroupeMessage partial,
      List<WorkItem<?>> newItems,
      List<Failure> failures,
      int[] returned,
      int[] unstarted,
      List<StageTimes> stages)
      implements Command {}

  /**
   * A host's node is leaving the cluster (a graceful shutdown): hand the host nothing more. It
   * answers what it holds, giving back the items it has not started. The coordinator replies {@link
   * JobHost.LeaveNoted}; hand-outs it sent before reach the host first.
   *
   * @param host the host
   */
  public record HostLeaving(ActorRef<JobHost.Command> host) implements Command {}

  /**
   * One failed attempt in a {@link BatchDone}.
   *
   * @param index the item
   * @param reason exception class and message
   */
  public record Failure(int index, String reason) implements TroupeMessage {}

  /**
   * The timings of a batch's completed items of one stage, measured on the host.
   *
   * @param stage the stage
   * @param latencyNanos per item: hand-out to a worker to answer
   * @param serviceNanos per item: processing time
   * @param maxQueuedAhead the most items a worker held when one of these was given to it
   */
  public record StageTimes(
      String stage, long[] latencyNanos, long[] serviceNanos, int maxQueuedAhead)
      implements TroupeMessage {

    /** Returns the number of items. */
    public int count() {
      return serviceNanos.length;
    }

    /** Collects the timings of one stage. */
    static final class Builder {
      private final String stage;
      private long[] latency;
      private long[] service;
      private int n;
      private int maxAhead;

      Builder(String stage, int capacity) {
        this.stage = stage;
        this.latency = new long[Math.min(capacity, 16)];
        this.service = new long[latency.length];
      }

      void add(long latencyNanos, long serviceNanos, int ahead) {
        if (n == service.length) {
          latency = java.util.Arrays.copyOf(latency, n * 2);
          service = java.util.Arrays.copyOf(service, n * 2);
        }
        latency[n] = latencyNanos;
        service[n++] = serviceNanos;
        maxAhead = Math.max(maxAhead, ahead);
      }

      StageTimes build() {
        return new StageTimes(
            stage,
            java.util.Arrays.copyOf(latency, n),
            java.util.Arrays.copyOf(service, n),
            maxAhead);
      }
    }
  }

  /**
   * Registers the coordinator entity with cluster sharding on this node.
   *
   * @param system the node's actor system
   * @param pipelines the pipelines jobs may run
   * @param registry the node's writer to the job registry, which coordinators keep up to date
   */
  public static void init(
      ActorSystem<?> system, Pipelines pipelines, ActorRef<RegistryWriter.Command> registry) {
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
                                                Recovering.start(
                                                    new Coordination(
                                                        ctx,
                                                        stash,
                                                        timers,
                                                        entity.getShard(),
                                                        entity.getEntityId(),
                                                        pipelines,
                                                        settings,
                                                        persistence,
                                                        registry))))))
                .withStopMessage(CoordinatorMessages.Passivate.INSTANCE)
                // A job's coordinator runs only on a node that has the job's pipeline.
                .withMessageExtractor(
                    new PipelineShards<Command>(shardsPerPipeline(system), JobIds::pipelineOf))
                .withAllocationStrategy(new PipelineAllocationStrategy())
                // A job must not be stopped for being quiet (planning a big input, say): the
                // coordinator passivates itself once its finished job has been kept long enough.
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  /** Shards per pipeline of an entity type: {@code pekko.cluster.sharding.number-of-shards}. */
  static int shardsPerPipeline(ActorSystem<?> system) {
    return system.settings().config().getInt("pekko.cluster.sharding.number-of-shards");
  }
}
