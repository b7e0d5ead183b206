package io.troupe.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.actors.TroupeSettings;
import io.troupe.actors.TroupeSystem;
import io.troupe.cluster.bootstrap.BootstrapSettings;
import io.troupe.cluster.bootstrap.ClusterBootstrap;
import io.troupe.cluster.internal.ClusterDefaults;
import io.troupe.cluster.internal.JobCoordinator;
import io.troupe.cluster.internal.JobSettings;
import io.troupe.cluster.internal.JobWaker;
import io.troupe.cluster.internal.KeyedReducer;
import io.troupe.cluster.internal.PipelineRoles;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.cluster.internal.RegistryWriter;
import io.troupe.cluster.internal.WorkerAgent;
import io.troupe.cluster.metrics.NodeMetrics;
import io.troupe.cluster.metrics.TroupeMetrics;
import io.troupe.persistence.internal.Journals;
import io.troupe.persistence.internal.PersistenceSettings;
import io.troupe.persistence.internal.SchemaMigrations;
import io.troupe.persistence.registry.JobRegistry;
import io.troupe.sdk.Pipeline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * A running Troupe node: an actor system in a Pekko cluster with the job coordinator entity, a
 * worker agent (on worker nodes) and the ledger's journal.
 *
 * <p>{@code troupe run} starts an embedded node that forms a cluster of one on 127.0.0.1 with free
 * ports; {@code troupe node} starts one that joins its configured seed nodes. Both run jobs the
 * same way; one started with {@link Membership#BOOTSTRAP} finds its cluster through discovery
 * instead of seed nodes. The ledger schema is migrated (or checked) before the actor system starts,
 * so a node pointed at an unusable database fails at once, having written nothing.
 */
public final class TroupeNode implements AutoCloseable {

  /** How a node finds its cluster. */
  public enum Membership {
    /** Form a cluster of one with itself (embedded mode). */
    SELF,
    /** Join the seed nodes of {@code pekko.cluster.seed-nodes}. */
    SEEDS,
    /**
     * Find the cluster through discovery, or form it with the other contact points: Cluster
     * Bootstrap ({@code troupe.cluster.bootstrap}, which must be enabled).
     */
    BOOTSTRAP;

    /**
     * Returns how a node of {@code config} finds its cluster: {@link #BOOTSTRAP} when {@code
     * troupe.cluster.bootstrap.enabled} is on, else {@link #SEEDS}.
     *
     * @param config the node's full config ({@link TroupeNode#config})
     * @return the membership
     * @throws IllegalArgumentException with one line if bootstrap is on but misconfigured (static
     *     seed nodes too, say)
     */
    public static Membership configured(Config config) {
      return BootstrapSettings.create(config).enabled() ? BOOTSTRAP : SEEDS;
    }
  }

  private final ActorSystem<Void> system;
  private final CompletableFuture<Void> up = new CompletableFuture<>();
  private final JobClient jobs;
  private final Pipelines pipelines;
  private final JobRegistry registry;
  private final Executor blocking;

  private TroupeNode(ActorSystem<Void> system, Pipelines pipelines, JobRegistry registry) {
    this.system = system;
    this.pipelines = pipelines;
    this.registry = registry;
    this.jobs = new JobClient(system, Duration.ofMinutes(5));
    this.blocking =
        system
            .dispatchers()
            .lookup(DispatcherSelector.fromConfig(TroupeSettings.BLOCKING_DISPATCHER));
  }

  /**
   * Returns the node's full config: system properties, then {@code application}, then Troupe's
   * persistence and cluster defaults, then references.
   *
   * @param application the operator's config
   * @return the resolved config
   */
  public static Config config(Config application) {
    return TroupeSystem.config(application, List.of(Journals::layer, ClusterDefaults::layer));
  }

  /**
   * Starts a node.
   *
   * @param name the actor system's name; all nodes of a cluster use the same
   * @param application the operator's config
   * @param pipelines the pipelines this node can run
   * @param membership how the node finds its cluster
   * @return the node, already joining; see {@link #whenUp()}
   * @throws io.troupe.persistence.PersistenceStartupException if the ledger database is unusable
   * @throws IllegalArgumentException with one line if {@code membership} is {@link
   *     Membership#BOOTSTRAP} and {@code troupe.cluster.bootstrap} is off or misconfigured
   */
  public static TroupeNode start(
      String name, Config application, Pipelines pipelines, Membership membership) {
    // Every node tells the cluster which pipelines it has, as roles: coordinators of a pipeline's
    // jobs are placed on nodes that have it, and `troupe list --node` shows who lacks what.
    Config configured = config(application);
    java.util.List<String> roles =
        new java.util.ArrayList<>(configured.getStringList("pekko.cluster.roles"));
    roles.addAll(PipelineRoles.of(pipelines));
    Config config =
        ConfigFactory.parseMap(java.util.Map.of("pekko.cluster.roles", roles))
            .withFallback(configured);
    BootstrapSettings bootstrap = BootstrapSettings.create(config);
    if (membership == Membership.BOOTSTRAP && !bootstrap.enabled()) {
      throw new IllegalArgumentException(
          "Membership.BOOTSTRAP needs troupe.cluster.bootstrap.enabled = on");
    }
    SchemaMigrations.migrate(PersistenceSettings.create(config));
    JobSettings settings = JobSettings.create(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), name, config);
    try {
      return wire(system, config, settings, pipelines, membership);
    } catch (RuntimeException e) {
      // A node that gives up joining its seeds stops its actor system, perhaps while it is still
      // being wired up here (a slow start, a short join limit): say that, not what tripped.
      CoordinatedShutdown.Reason why =
          CoordinatedShutdown.get(system).getShutdownReason().orElse(null);
      system.terminate();
      if (why instanceof CoordinatedShutdown.ClusterJoinUnsuccessfulReason$) {
        throw new JoinFailedException(e);
      }
      throw e;
    }
  }

  private static TroupeNode wire(
      ActorSystem<Void> system,
      Config config,
      JobSettings settings,
      Pipelines pipelines,
      Membership membership) {
    JobRegistry registry = JobRegistry.open(PersistenceSettings.create(config));
    system.getWhenTerminated().thenRun(registry::close);
    TroupeNode node = new TroupeNode(system, pipelines, registry);
    Cluster cluster = Cluster.get(system);
    String role = settings.workerRole();
    if (role.isEmpty() || cluster.selfMember().hasRole(role)) {
      ActorRef<WorkerAgent.Command> agent =
          system.systemActorOf(
              WorkerAgent.create(pipelines, hostPort(cluster.selfMember().address()), settings),
              "troupe-worker-agent",
              Props.empty());
      // The hosts leave before sharding hands the coordinators off: they give back what they have
      // not started and finish what is under way, so a coordinator handing over has their answers.
      CoordinatedShutdown.get(system)
          .addTask(
              CoordinatedShutdown.PhaseBeforeClusterShutdown(),
              "stop-troupe-worker-agent",
              () ->
                  AskPattern.ask(
                      agent,
                      WorkerAgent.Shutdown::new,
                      settings.leaveTimeout().plusSeconds(4),
                      system.scheduler()));
    }
    system.systemActorOf(
        Behaviors.<SelfUp>setup(
            ctx -> {
              cluster.subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
              return Behaviors.receiveMessage(
                  up -> {
                    node.up.complete(null);
                    return Behaviors.stopped();
                  });
            }),
        "troupe-self-up",
        Props.empty());
    ActorRef<RegistryWriter.Command> registryWriter =
        system.systemActorOf(
            RegistryWriter.create(
                registry, node.blocking, config.getDuration("troupe.registry.flush-interval")),
            "troupe-registry-writer",
            Props.empty());
    TroupeMetrics metrics = TroupeMetrics.get(system);
    if (metrics.enabled()) {
      system.systemActorOf(NodeMetrics.create(metrics, settings), "troupe-metrics", Props.empty());
    }
    JobCoordinator.init(system, pipelines, registryWriter);
    JobWaker.init(
        system,
        registry,
        node.blocking,
        config.getDuration("troupe.registry.wake-timeout"),
        config.getDuration("troupe.registry.retention"),
        config.getDuration("troupe.registry.wake-interval"));
    KeyedReducer.init(system, pipelines);
    for (String problem : pipelines.problems()) {
      system.log().warn("Plug-in left out: {}", problem);
    }
    for (Pipeline<?, ?, ?> pipeline : pipelines.all()) {
      pipeline.start(system);
    }
    // Start the journal and snapshot plugins now, while the node joins: their first use (the
    // connection pool, Slick) costs half a second that the first job would otherwise wait for.
    if (PersistenceSettings.create(config).journal() != PersistenceSettings.Journal.MEMORY) {
      org.apache.pekko.persistence.Persistence persistence =
          org.apache.pekko.persistence.Persistence.get(Adapter.toClassic(system));
      persistence.journalFor("", ConfigFactory.empty());
      persistence.snapshotStoreFor("", ConfigFactory.empty());
    }
    if (membership == Membership.SELF) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    } else if (membership == Membership.BOOTSTRAP) {
      system.systemActorOf(
          ClusterBootstrap.create(BootstrapSettings.create(config), config, system.name()),
          "troupe-cluster-bootstrap",
          Props.empty());
    }
    return node;
  }

  /** Returns a node's address as {@code host:port}, the form reports and statuses show. */
  public static String hostPort(org.apache.pekko.actor.Address address) {
    return address.getHost().orElse("?") + ":" + address.getPort().orElse(0);
  }

  /** Completes when this node is an Up member of its cluster. */
  public CompletionStage<Void> whenUp() {
    return up;
  }

  /** Returns the cluster's job registry, as this node reaches it; its calls block. */
  public JobRegistry registry() {
    return registry;
  }

  /** Returns the executor for blocking work on this node (registry calls, say). */
  public Executor blocking() {
    return blocking;
  }

  /** Returns the pipelines this node can run. */
  public Pipelines pipelines() {
    return pipelines;
  }

  /** Returns a client for this node's cluster's jobs. */
  public JobClient jobs() {
    return jobs;
  }

  /** Returns the node's actor system. */
  public ActorSystem<Void> system() {
    return system;
  }

  /** Returns this node's cluster address as host:port. */
  public String address() {
    return hostPort(Cluster.get(system).selfMember().address());
  }

  /** Returns the cluster's members that are Up. */
  public long membersUp() {
    int count = 0;
    for (org.apache.pekko.cluster.Member m : Cluster.get(system).state().getMembers()) {
      if (m.status() == org.apache.pekko.cluster.MemberStatus.up()) {
        count++;
      }
    }
    return count;
  }

  /** Leaves the cluster and stops the actor system, waiting up to 30 seconds. */
  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      system.log().warn("Node did not stop within 30 s: {}", e.toString());
    }
  }
}
