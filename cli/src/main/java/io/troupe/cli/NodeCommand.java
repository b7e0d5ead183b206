package io.troupe.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.JoinFailedException;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.bootstrap.BootstrapSettings;
import io.troupe.cluster.http.HttpTls;
import io.troupe.cluster.http.NodeHttp;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.cluster.internal.PlaintextGuard;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code troupe node --config FILE}: one cluster node, configured from HOCON; it joins the seed
 * nodes, serves its HTTP endpoint and works on jobs until it is stopped.
 *
 * <p>With {@code troupe.cluster.bootstrap.enabled} on it finds its cluster through Cluster
 * Bootstrap instead of seed nodes ({@link TroupeNode.Membership#BOOTSTRAP}).
 *
 * <p>A misconfigured node stops at once with one line and a non-zero exit: bad HOCON, no seed nodes
 * and no bootstrap, bootstrap together with seed nodes, Artery or HTTP bound beyond loopback in
 * plain text (unless {@code troupe.security.allow-plaintext}), an HTTPS key store it cannot open, a
 * port in use, a database it cannot use, or seed nodes it cannot join within {@code
 * pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes} (with bootstrap: no cluster found or
 * formed within {@code troupe.cluster.bootstrap.formation-timeout}).
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Run one cluster node from a HOCON file until stopped (Ctrl-C or SIGTERM).")
final class NodeCommand implements java.util.concurrent.Callable<Integer> {

  /** The actor system name all Troupe nodes share; seed-node addresses must use it. */
  static final String SYSTEM = "troupe";

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The node's HOCON file, e.g. config/cluster/node-1.conf.")
  Path config;

  @Option(names = "--verbose", description = "Show stack traces of start-up errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Troupe.verbose = verbose;
    Logging.forNode();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(config)) {
      throw new UsageException("--config: no such file: " + config);
    }
    Config application = ConfigFactory.parseFile(config.toFile());
    Config full = TroupeNode.config(application);
    TroupeNode.Membership membership;
    BootstrapSettings bootstrapSettings;
    try {
      membership = TroupeNode.Membership.configured(full);
      bootstrapSettings = BootstrapSettings.create(full);
    } catch (IllegalArgumentException e) {
      throw new UsageException(config + ": " + e.getMessage());
    }
    boolean bootstrap = membership == TroupeNode.Membership.BOOTSTRAP;
    List<String> seeds = full.getStringList("pekko.cluster.seed-nodes");
    if (seeds.isEmpty() && !bootstrap) {
      throw new UsageException(
          config
              + ": no seed nodes; set pekko.cluster.seed-nodes (see config/cluster/cluster.conf)"
              + " or turn on troupe.cluster.bootstrap (config/cluster/bootstrap.conf)");
    }
    for (String seed : seeds) {
      if (!seed.startsWith("pekko://" + SYSTEM + "@")) {
        throw new UsageException(
            config + ": seed node " + seed + " must look like pekko://" + SYSTEM + "@host:port");
      }
    }
    // Before anything binds: no plain text beyond loopback unless allowed, an HTTPS key store that
    // opens.
    PlaintextGuard.refusal(full)
        .ifPresent(
            why -> {
              throw new UsageException(why);
            });
    HttpTls tls;
    try {
      tls = HttpTls.create(full);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    // "off": the node keeps trying to join for as long as it runs.
    String joinKey = "pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes";
    Duration seedLimit =
        full.getString(joinKey).equalsIgnoreCase("off") ? null : full.getDuration(joinKey);
    // Bootstrap: finding or forming the cluster takes up to the formation timeout, then joining
    // the seeds found up to the seed-node limit.
    Duration formationTimeout = bootstrapSettings.formationTimeout();
    Duration joinLimit =
        !bootstrap
            ? seedLimit
            : formationTimeout.plus(seedLimit == null ? Duration.ZERO : seedLimit);
    Duration shownLimit = bootstrap ? formationTimeout : seedLimit;
    String joinWay =
        bootstrap
            ? "Cluster Bootstrap (" + bootstrapSettings.describeDiscovery() + ")"
            : "its seed nodes " + seeds;
    TroupeNode node;
    try {
      node = TroupeNode.start(SYSTEM, application, Pipelines.load(), membership);
    } catch (JoinFailedException e) {
      throw joinFailed(joinWay, shownLimit);
    } catch (RuntimeException e) {
      throw explainStartFailure(e, full);
    }
    try {
      NodeHttp.start(node).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (IllegalStateException e) {
      // The node may have given up joining while its HTTP endpoint started: say so, not what
      // the endpoint tripped over.
      node.close();
      throwIfJoinFailed(node, joinWay, shownLimit);
      throw new UsageException(e.getMessage());
    } catch (ExecutionException e) {
      node.close();
      throwIfJoinFailed(node, joinWay, shownLimit);
      String where =
          full.getString("pekko.management.http.hostname")
              + ":"
              + full.getInt("pekko.management.http.port");
      throw new UsageException(
          e.getCause() instanceof BindException
              ? "the HTTP port " + where + " is in use (pekko.management.http.port)"
              : "cannot serve HTTP on " + where + ": " + e.getCause().getMessage());
    }
    CompletableFuture<Object> upOrGone =
        CompletableFuture.anyOf(
            node.whenUp().toCompletableFuture(),
            node.system().getWhenTerminated().toCompletableFuture());
    try {
      if (joinLimit == null) {
        upOrGone.get();
      } else {
        upOrGone.get(joinLimit.toSeconds() + 30, TimeUnit.SECONDS);
      }
    } catch (TimeoutException e) {
      node.close();
      throw new UsageException("the node did not join the cluster through " + joinWay + " in time");
    }
    if (!node.whenUp().toCompletableFuture().isDone()) {
      throwIfJoinFailed(node, joinWay, shownLimit);
      CoordinatedShutdown.Reason why =
          CoordinatedShutdown.get(Adapter.toClassic(node.system()))
              .getShutdownReason()
              .orElse(null);
      err.println(
          "troupe: node "
              + node.address()
              + " stopped before it was Up"
              + (why == null ? "" : " (" + why.getClass().getSimpleName().replace("$", "") + ")"));
      err.flush();
      return ExitCode.FAILED;
    }
    err.println(
        "troupe: node "
            + node.address()
            + " is Up ("
            + node.membersUp()
            + " member(s) up); HTTP on "
            + tls.scheme()
            + "://"
            + full.getString("pekko.management.http.hostname")
            + ":"
            + full.getInt("pekko.management.http.port")
            + " (/ready, /cluster/members, /api/jobs)");
    err.flush();
    node.system().getWhenTerminated().toCompletableFuture().get();
    CoordinatedShutdown.Reason reason =
        CoordinatedShutdown.get(Adapter.toClassic(node.system())).getShutdownReason().orElse(null);
    if (reason instanceof CoordinatedShutdown.ClusterDowningReason$) {
      err.println("troupe: node " + node.address() + " was downed by the cluster and stopped");
      return ExitCode.FAILED;
    }
    return ExitCode.COMPLETED;
  }

  /** Fails with the error to show if the node stopped because it could not join its seeds. */
  private static void throwIfJoinFailed(TroupeNode node, String joinWay, Duration joinLimit) {
    CoordinatedShutdown.Reason why =
        CoordinatedShutdown.get(Adapter.toClassic(node.system())).getShutdownReason().orElse(null);
    if (why instanceof CoordinatedShutdown.ClusterJoinUnsuccessfulReason$) {
      throw joinFailed(joinWay, joinLimit);
    }
  }

  private static UsageException joinFailed(String joinWay, Duration joinLimit) {
    return new UsageException(
        "could not join the cluster through "
            + joinWay
            + (joinLimit == null ? "" : " within " + joinLimit)
            + (joinWay.startsWith("its seed")
                ? "; is the first seed node running?"
                : "; are the contact points right, reachable and started"
                    + " (troupe.cluster.bootstrap.formation-timeout)?"));
  }

  private static RuntimeException explainStartFailure(RuntimeException e, Config full) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return new UsageException(
            "the cluster port "
                + full.getString("pekko.remote.artery.canonical.hostname")
                + ":"
                + full.getInt("pekko.remote.artery.canonical.port")
                + " is in use (pekko.remote.artery.canonical.port)");
      }
      if (t instanceof io.troupe.persistence.PersistenceStartupException p) {
        return p;
      }
    }
    return e;
  }
}
