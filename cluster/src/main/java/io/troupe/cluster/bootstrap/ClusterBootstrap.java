package io.troupe.cluster.bootstrap;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Finds or forms this node's cluster through discovery (the package's documentation has the
 * algorithm; {@link Formation} the rules), then stops once the node is Up.
 *
 * <p>Implementation notes: one probe round at a time. Every {@code probe-interval} a round
 * discovers the contact points, asks all of them at once and, when every answer or failure is in,
 * decides; a tick that comes while a round is under way is skipped, and every request has a
 * timeout, so a round always ends. The actor alone touches its state; answers come back as
 * messages. Once it has asked to form the cluster it never forms again, and once it has asked to
 * join seeds it only ever joins (other seeds, should the first ones vanish): a node that may be
 * joining a cluster must not start a second one. Decisions are logged at INFO when they change, not
 * every round. If the node is not Up within {@code formation-timeout}, it stops the actor system
 * with the reason a failed seed-node join gives ({@code ClusterJoinUnsuccessfulReason}), so {@code
 * troupe node} exits non-zero as it does then. If this actor crashes, the node stays out of any
 * cluster until the formation timeout stops it.
 */
public final class ClusterBootstrap extends AbstractBehavior<ClusterBootstrap.Command> {

  /** The actor's messages; all private. */
  public sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private enum GiveUp implements Command {
    INSTANCE
  }

  private record Discovered(List<ContactPoint> points, Throwable failure) implements Command {}

  private record Probed(
      Set<ContactPoint> discovered,
      Map<ContactPoint, Formation.Answer> answers,
      Map<ContactPoint, String> failures)
      implements Command {}

  private record WrappedSelfUp(SelfUp up) implements Command {}

  private final BootstrapSettings settings;
  private final Discovery discovery;
  private final SeedProbe probe;
  private final Cluster cluster;
  private final Address self;
  private boolean roundUnderWay;
  private Set<ContactPoint> lastDiscovered = Set.of();
  private long discoveredSince = System.nanoTime();
  private String lastDiscoveryError = "";
  private Formation.Decision lastDecision = new Formation.Wait(Formation.Reason.JOINING, "start");
  private List<Address> joinedSeeds = List.of();
  private boolean formed;

  private ClusterBootstrap(
      ActorContext<Command> context,
      BootstrapSettings settings,
      Discovery discovery,
      SeedProbe probe) {
    super(context);
    this.settings = settings;
    this.discovery = discovery;
    this.probe = probe;
    this.cluster = Cluster.get(context.getSystem());
    this.self = cluster.selfMember().address();
  }

  /**
   * Returns the behavior.
   *
   * @param settings the bootstrap settings, enabled
   * @param config the node's full config (for HTTPS to the contact points)
   * @param systemName the actor system's name: answers of other systems' nodes are refused
   * @return the behavior
   * @throws IllegalArgumentException with one line if HTTPS is on and the trust store cannot be
   *     opened
   */
  public static Behavior<Command> create(
      BootstrapSettings settings, Config config, String systemName) {
    Discovery discovery = Discovery.of(settings);
    SeedProbe probe = SeedProbe.create(config, settings.requestTimeout(), systemName);
    return Behaviors.setup(
        context -> {
          context
              .getLog()
              .info(
                  "Cluster Bootstrap: looking for the cluster through {}; a new one is formed by"
                      + " the lowest of at least {} contact points",
                  settings.describeDiscovery(),
                  settings.requiredContactPoints());
          Cluster.get(context.getSystem())
              .subscriptions()
              .tell(
                  Subscribe.create(
                      context.messageAdapter(SelfUp.class, WrappedSelfUp::new), SelfUp.class));
          return Behaviors.withTimers(
              timers -> {
                start(timers, settings);
                return new ClusterBootstrap(context, settings, discovery, probe);
              });
        });
  }

  private static void start(TimerScheduler<Command> timers, BootstrapSettings settings) {
    timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ZERO, settings.probeInterval());
    timers.startSingleTimer(GiveUp.INSTANCE, settings.formationTimeout());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Discovered.class, this::onDiscovered)
        .onMessage(Probed.class, this::onProbed)
        .onMessage(WrappedSelfUp.class, this::onSelfUp)
        .onMessageEquals(GiveUp.INSTANCE, this::onGiveUp)
        .build();
  }

  private Behavior<Command> onTick() {
    if (!roundUnderWay) {
      roundUnderWay = true;
      CompletionStage<List<ContactPoint>> found;
      try {
        found = discovery.discover();
      } catch (RuntimeException e) {
        // Thrown instead of failing the future: a failed round like any other, never the actor's
        // end (its formation timeout must still fire).
        found = CompletableFuture.failedFuture(e);
      }
      getContext().pipeToSelf(found, Discovered::new);
    }
    return this;
  }

  private Behavior<Command> onDiscovered(Discovered discovered) {
    if (discovered.failure() != null) {
      Throwable failure = unwrap(discovered.failure());
      String why =
          failure instanceof DiscoveryException
              ? failure.getMessage()
              : KubernetesDiscovery.oneLine(failure);
      if (!why.equals(lastDiscoveryError)) {
        getContext().getLog().warn("Cluster Bootstrap: discovery failed: {}", why);
        lastDiscoveryError = why;
      }
      roundUnderWay = false;
      return this;
    }
    if (!lastDiscoveryError.isEmpty()) {
      getContext().getLog().info("Cluster Bootstrap: discovery works again");
      lastDiscoveryError = "";
    }
    Set<ContactPoint> points = new TreeSet<>(discovered.points());
    if (!points.equals(lastDiscovered)) {
      getContext().getLog().debug("Cluster Bootstrap: discovered {}", points);
      lastDiscovered = Set.copyOf(points);
      discoveredSince = System.nanoTime();
    }
    Set<ContactPoint> round = lastDiscovered;
    Map<ContactPoint, CompletableFuture<Formation.Answer>> asked = new HashMap<>();
    for (ContactPoint point : points) {
      CompletableFuture<Formation.Answer> answer;
      try {
        answer = probe.probe(point);
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      asked.put(point, answer);
    }
    CompletableFuture<Probed> all =
        CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new))
            .handle((ignored, failure) -> collect(round, asked));
    getContext().pipeToSelf(all, (probed, failure) -> probed);
    return this;
  }

  /** Gathers the answers once every probe is over (each has a timeout). */
  private static Probed collect(
      Set<ContactPoint> discovered, Map<ContactPoint, CompletableFuture<Formation.Answer>> asked) {
    Map<ContactPoint, Formation.Answer> answers = new HashMap<>();
    Map<ContactPoint, String> failures = new HashMap<>();
    asked.forEach(
        (point, future) -> {
          try {
            answers.put(point, future.join());
          } catch (RuntimeException e) {
            failures.put(point, KubernetesDiscovery.oneLine(e));
          }
        });
    return new Probed(discovered, answers, failures);
  }

  private Behavior<Command> onProbed(Probed probed) {
    roundUnderWay = false;
    probed
        .failures()
        .forEach(
            (point, why) ->
                getContext()
                    .getLog()
                    .debug("Cluster Bootstrap: no answer from {}: {}", point, why));
    boolean member = cluster.selfMember().status() != MemberStatus.removed();
    Duration unchanged = Duration.ofNanos(System.nanoTime() - discoveredSince);
    Formation.Decision decision =
        Formation.decide(
            new Formation.Round(
                probed.discovered(), probed.answers(), unchanged, member || formed || joining()),
            self,
            settings.requiredContactPoints(),
            settings.stableMargin());
    boolean changed = !decision.equals(lastDecision);
    lastDecision = decision;
    if (decision instanceof Formation.Join join) {
      // Joining again restarts Pekko's join; only when the seeds asked before are all gone.
      if (!member && !formed && Collections.disjoint(join.seedNodes(), joinedSeeds)) {
        getContext()
            .getLog()
            .info("Cluster Bootstrap: joining the cluster of seed nodes {}", join.seedNodes());
        joinedSeeds = join.seedNodes();
        cluster.manager().tell(new JoinSeedNodes(joinedSeeds));
      }
    } else if (decision == Formation.FormSelf.INSTANCE) {
      getContext()
          .getLog()
          .info(
              "Cluster Bootstrap: forming a new cluster: this node ({}) is the lowest of the"
                  + " contact points {}, none of which is in a cluster",
              self,
              new TreeSet<>(probed.discovered()));
      formed = true;
      cluster.manager().tell(Join.create(self));
    } else if (changed
        && decision instanceof Formation.Wait wait
        && wait.reason() != Formation.Reason.JOINING) {
      getContext().getLog().info("Cluster Bootstrap: waiting: {}", wait.detail());
    }
    return this;
  }

  private boolean joining() {
    return !joinedSeeds.isEmpty();
  }

  private Behavior<Command> onSelfUp(WrappedSelfUp up) {
    getContext()
        .getLog()
        .info("Cluster Bootstrap: this node is Up in its cluster; bootstrap is done");
    return Behaviors.stopped();
  }

  private Behavior<Command> onGiveUp() {
    getContext()
        .getLog()
        .error(
            "Cluster Bootstrap: this node found no cluster to join and formed none within {}"
                + " (troupe.cluster.bootstrap.formation-timeout); last: {}; stopping",
            settings.formationTimeout(),
            describe(lastDecision));
    CoordinatedShutdown.get(getContext().getSystem())
        .runAll(CoordinatedShutdown.ClusterJoinUnsuccessfulReason$.MODULE$);
    return Behaviors.stopped();
  }

  private static String describe(Formation.Decision decision) {
    if (decision instanceof Formation.Wait wait) {
      return "waiting: " + wait.detail();
    }
    if (decision instanceof Formation.Join join) {
      return "joining " + join.seedNodes();
    }
    return "forming a cluster";
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null
        ? t.getCause()
        : t;
  }
}
