package io.troupe.cluster.internal;

import io.troupe.persistence.JobSpec;
import io.troupe.sdk.TroupeMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * A node's offer to work: registered with the receptionist, it starts a {@link JobHost} for every
 * job whose coordinator asks this node to join.
 */
public final class WorkerAgent extends AbstractBehavior<WorkerAgent.Command> {

  /** The receptionist key coordinators look agents up by. */
  public static final ServiceKey<Command> KEY =
      ServiceKey.create(Command.class, "troupe-worker-agent");

  /** Messages an agent understands; the public ones may cross nodes. */
  public sealed interface Command extends TroupeMessage {}

  /**
   * Work on this job on this node; no reply (the new host announces itself to the coordinator).
   *
   * @param spec the job
   */
  public record JoinJob(JobSpec spec) implements Command {}

  /**
   * The node leaves: every job host gives back what it has not started and finishes what is under
   * way ({@link JobHost.Leave}); the agent replies and stops once they all have stopped, or after
   * the leave timeout and a margin. Sent by the node's coordinated shutdown before sharding hands
   * its coordinators off.
   *
   * @param replyTo where the answer goes
   */
  public record Shutdown(ActorRef<org.apache.pekko.Done> replyTo) implements Command {}

  private record HostStopped(String jobId) implements Command {}

  /** The hosts took too long to leave. */
  private enum LeaveOver implements Command {
    INSTANCE
  }

  /**
   * Creates the agent of this node.
   *
   * @param pipelines the pipelines this node can run
   * @param node this node, as host:port
   * @param settings job settings
   * @return the agent's behavior
   */
  public static Behavior<Command> create(Pipelines pipelines, String node, JobSettings settings) {
    return Behaviors.setup(ctx -> new WorkerAgent(ctx, pipelines, node, settings));
  }

  private final Pipelines pipelines;
  private final String node;
  private final JobSettings settings;
  private final Map<String, ActorRef<JobHost.Command>> hosts = new HashMap<>();
  private final List<ActorRef<org.apache.pekko.Done>> leaving = new ArrayList<>();

  private WorkerAgent(
      ActorContext<Command> ctx, Pipelines pipelines, String node, JobSettings settings) {
    super(ctx);
    this.pipelines = pipelines;
    this.node = node;
    this.settings = settings;
    ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(JoinJob.class, this::onJoin)
        .onMessage(Shutdown.class, this::onShutdown)
        .onMessage(
            HostStopped.class,
            stopped -> {
              hosts.remove(stopped.jobId());
              return leftAll();
            })
        .onMessageEquals(
            LeaveOver.INSTANCE,
            () -> {
              hosts.clear();
              return leftAll();
            })
        .build();
  }

  private Behavior<Command> onShutdown(Shutdown shutdown) {
    leaving.add(shutdown.replyTo());
    if (Leaving.downed(getContext().getSystem())) {
      hosts.clear(); // downed, not leaving: the others have taken the items over already
      return leftAll();
    }
    hosts.values().forEach(host -> host.tell(JobHost.Leave.INSTANCE));
    getContext()
        .scheduleOnce(
            settings.leaveTimeout().plusSeconds(2), getContext().getSelf(), LeaveOver.INSTANCE);
    return leftAll();
  }

  /** Replies and stops once a leaving agent's hosts have all stopped (children stop with it). */
  private Behavior<Command> leftAll() {
    if (leaving.isEmpty() || !hosts.isEmpty()) {
      return this;
    }
    leaving.forEach(replyTo -> replyTo.tell(org.apache.pekko.Done.getInstance()));
    return Behaviors.stopped();
  }

  private Behavior<Command> onJoin(JoinJob join) {
    if (!leaving.isEmpty()) {
      return this; // this node leaves: no new work
    }
    String jobId = join.spec().jobId();
    ActorRef<JobHost.Command> existing = hosts.get(jobId);
    if (existing != null) {
      existing.tell(JobHost.Announce.INSTANCE);
      return this;
    }
    ParsedPipeline parsed;
    String pipeline = join.spec().pipeline();
    try {
      if (pipelines.find(pipeline).isEmpty()) {
        throw new IllegalStateException(
            "the node does not have pipeline '"
                + pipeline
                + "' (it has: "
                + (pipelines.names().isEmpty() ? "none" : String.join(", ", pipelines.names()))
                + ")");
      }
      parsed = ParsedJobs.get(getContext().getSystem()).parse(join.spec(), pipelines, settings);
    } catch (RuntimeException e) {
      getContext()
          .getLog()
          .warn("Node [{}] cannot work on job [{}]: {}", node, jobId, e.getMessage());
      // Tell the job: its status and report then say which node stayed out, and why.
      ClusterSharding.get(getContext().getSystem())
          .entityRefFor(JobCoordinator.TYPE_KEY, jobId)
          .tell(new JobCoordinator.HostUnavailable(node, e.getMessage()));
      return this;
    }
    int workers = parsed.workersPerNode(settings.workersPerNode());
    ActorRef<JobHost.Command> host =
        getContext()
            .spawn(
                JobHost.create(
                    parsed,
                    ClusterSharding.get(getContext().getSystem())
                        .entityRefFor(JobCoordinator.TYPE_KEY, jobId),
                    node,
                    workers,
                    join.spec().priority(),
                    settings),
                "job-" + URLEncoder.encode(jobId, StandardCharsets.UTF_8));
    getContext().watchWith(host, new HostStopped(jobId));
    hosts.put(jobId, host);
    return this;
  }
}
