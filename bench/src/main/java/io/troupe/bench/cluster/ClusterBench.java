package io.troupe.bench.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.bench.CpuMeter;
import io.troupe.bench.MachineInfo;
import io.troupe.bench.Report;
import io.troupe.bench.Stats;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.persistence.JobSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Three Troupe nodes on loopback: sharded-entity messages per second and round-trip latency across
 * nodes (against the same entities on the sender's own node), and a job's time on three nodes
 * against one node, in alternating rounds of one run.
 *
 * <p>All nodes run in this JVM as separate actor systems that talk over Artery TCP on 127.0.0.1, so
 * every cross-node message is serialized (Jackson CBOR), framed, sent through the loopback
 * interface and deserialized. They share the machine's cores, as nodes on one host would.
 *
 * <p>With {@code --hosts} (run by {@code bench/run cluster --hosts}, on test hosts made by {@code
 * src-test/hosts/hosts}) this JVM runs on host 1 with the sender's node and the one-node cluster,
 * and the three-node cluster's two other nodes are JVMs of their own on hosts 2 and 3, started with
 * {@code --member HOST:PORT}: every cross-node message crosses the hosts' links, with whatever
 * delay the script put on them.
 */
public final class ClusterBench {

  private static final int ENTITIES = 32;
  // Below Artery's outbound queue (3,072 messages), which drops what does not fit.
  private static final int WINDOW = Integer.getInteger("troupe.bench.window", 2_048);
  private static final String PRIMES_LIMIT = "1000000000";
  private static final long PI_10_9 = 50_847_534L;

  private ClusterBench() {}

  /**
   * Runs the benchmark and prints its Markdown table on stdout.
   *
   * @param args {@code [--quick] [--rounds N]}
   */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    int rounds = -1;
    String links = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--hosts" -> links = args[++i];
        case "--member" -> {
          member(args[++i]);
          return;
        }
        default -> {
          System.err.println("cluster: unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    if (rounds < 0) {
      rounds = 5;
    }
    Duration slice = Duration.ofSeconds(quick ? 2 : 3);
    int pings = quick ? 5_000 : 10_000;
    MachineInfo machine = MachineInfo.capture();
    String loadBefore = MachineInfo.loadAverage();
    CpuMeter meter = CpuMeter.start();
    long started = System.nanoTime();

    List<String> rows = new ArrayList<>();
    List<TroupeNode> three =
        links == null ? startCluster("bench3", 3) : startOnHosts("bench3", HOSTS_PORT, 3);
    TroupeNode single =
        links == null ? startCluster("bench1", 1).get(0) : startOnHosts("bench1", 2552, 1).get(0);
    try {
      List<TroupeNode> all = new ArrayList<>(three);
      all.add(single);
      for (TroupeNode node : all) {
        String address = node.address();
        ClusterSharding.get(node.system())
            .init(Entity.of(Echo.KEY, ctx -> Echo.create(ctx.getEntityId(), address)));
      }
      TroupeNode sender = three.get(0);
      Placement placement = Placement.find(sender, ENTITIES);
      System.err.printf(
          Locale.ROOT,
          "cluster: %d entities on the sender's node, %d on the two others%n",
          placement.local().size(),
          placement.remote().size());

      List<Double> localRates = new ArrayList<>();
      List<Double> remoteRates = new ArrayList<>();
      List<Long> localNanos = new ArrayList<>();
      List<Long> remoteNanos = new ArrayList<>();
      Histogram localRtt = new Histogram(3_600_000_000_000L, 3);
      Histogram remoteRtt = new Histogram(3_600_000_000_000L, 3);
      for (int round = 0; round <= rounds; round++) {
        boolean measured = round > 0;
        double local = flood(sender, placement.local(), slice);
        double remote = flood(sender, placement.remote(), slice);
        Histogram l = pingPong(sender, placement.local().get(0), pings);
        Histogram r = pingPong(sender, placement.remote().get(0), pings);
        System.err.printf(
            Locale.ROOT,
            "  messages %s %d: same node %,.0f/s, across nodes %,.0f/s; round trip p50 %.0f µs"
                + " vs %.0f µs%n",
            measured ? "round" : "warm-up",
            measured ? round : 1,
            local,
            remote,
            l.getValueAtPercentile(50) / 1e3,
            r.getValueAtPercentile(50) / 1e3);
        if (measured) {
          localRates.add(local);
          remoteRates.add(remote);
          // As times per message, so Stats.ratios reads "same node ÷ across nodes".
          localNanos.add(Math.round(1e9 / local));
          remoteNanos.add(Math.round(1e9 / remote));
          localRtt.add(l);
          remoteRtt.add(r);
        }
      }
      rows.add(
          String.format(
              Locale.ROOT,
              "| Sharded messages/s (one way, %d entities, window %,d) | %,.0f | %,.0f | %s |",
              ENTITIES,
              WINDOW,
              Stats.median(localRates),
              Stats.median(remoteRates),
              Report.ratio(Stats.ratios(localNanos, remoteNanos))));
      rows.add(
          String.format(
              Locale.ROOT,
              "| Round trip p50 / p99 (ping → pong, one at a time) | %.0f / %.0f µs | %.0f / %.0f"
                  + " µs | %.2f× (p50) |",
              localRtt.getValueAtPercentile(50) / 1e3,
              localRtt.getValueAtPercentile(99) / 1e3,
              remoteRtt.getValueAtPercentile(50) / 1e3,
              remoteRtt.getValueAtPercentile(99) / 1e3,
              (double) localRtt.getValueAtPercentile(50) / remoteRtt.getValueAtPercentile(50)));

      List<Long> oneNode = new ArrayList<>();
      List<Long> threeNodes = new ArrayList<>();
      int warmups = quick ? 2 : 3;
      for (int round = 0; round < warmups + rounds; round++) {
        long one = timeJob(single, "one-" + round);
        long many = timeJob(sender, "three-" + round);
        boolean measured = round >= warmups;
        System.err.printf(
            Locale.ROOT,
            "  primes job %s %d: 1 node %s, 3 nodes %s%n",
            measured ? "round" : "warm-up",
            measured ? round - warmups + 1 : round + 1,
            Report.millis(one),
            Report.millis(many));
        if (measured) {
          oneNode.add(one);
          threeNodes.add(many);
        }
      }
      rows.add(
          String.format(
              Locale.ROOT,
              "| primes ≤ 10^9 job (239 items, 2 workers per node) | %s (1 node) | %s (3 nodes) |"
                  + " %s |",
              Report.millis(Stats.median(oneNode)),
              Report.millis(Stats.median(threeNodes)),
              Report.ratio(Stats.ratios(oneNode, threeNodes))));
    } finally {
      for (TroupeNode node : three) {
        node.close();
      }
      single.close();
    }

    StringBuilder out = new StringBuilder();
    out.append(
        links == null
            ? "### Cluster: three nodes on loopback\n\n"
            : "### Cluster: three nodes on test hosts, " + links + "\n\n");
    out.append(machine.markdownLines());
    out.append(
        links == null
            ? "- Nodes: actor systems in one JVM talking over Artery TCP on 127.0.0.1 (every"
                + " cross-node message is Jackson CBOR, framed and sent through loopback); Troupe's"
                + " defaults; in-memory ledger for the job rows\n"
            : "- Nodes: the sender's node and the one-node cluster in a JVM on host 1, the two"
                + " other nodes in JVMs of their own on hosts 2 and 3 (network namespaces on one"
                + " bridge, src-test/hosts/hosts), "
                + links
                + "; all on this machine's cores; Troupe's defaults; in-memory ledger\n");
    out.append(
        String.format(
            Locale.ROOT,
            "- Rounds: 1 warm-up + %d measured; messages: %.0f s per variant per round; round"
                + " trips: %,d per variant per round%n",
            rounds,
            slice.toMillis() / 1e3,
            pings));
    out.append(MachineInfo.loadLine(meter, loadBefore, started));
    out.append("| Measure | Same node (baseline) | Across nodes | Ratio |\n");
    out.append("|---|---:|---:|---:|\n");
    rows.forEach(r -> out.append(r).append('\n'));
    out.append(
        "\nRatios are baseline time ÷ the other's time in the same round, median (min–max); below"
            + " 1× the distribution costs more than it gains. The job row compares a one-node"
            + " cluster (baseline) with a three-node one.\n");
    System.out.print(out);
  }

  /** The Artery port of the three-node cluster's nodes on test hosts, the same on each host. */
  private static final int HOSTS_PORT = 2551;

  private static Config onThisHost(int port) {
    String host = System.getenv("TROUPE_HOST_ADDRESS");
    if (host == null || host.isBlank()) {
      throw new IllegalStateException(
          "--hosts and --member run on a test host (src-test/hosts/hosts run I ...), which sets"
              + " TROUPE_HOST_ADDRESS");
    }
    return ConfigFactory.parseString(
        "pekko.remote.artery.canonical.hostname = \""
            + host
            + "\"\n"
            + "pekko.remote.artery.canonical.port = "
            + port
            + "\n"
            // The hosts' network is the bench's own, on this machine.
            + "troupe.security.allow-plaintext = on\n");
  }

  /**
   * Starts the first node of a cluster on this test host and waits until {@code size} members are
   * Up, the others being {@code --member} JVMs on the other hosts.
   */
  private static List<TroupeNode> startOnHosts(String name, int port, int size) throws Exception {
    TroupeNode first =
        TroupeNode.start(
            name,
            onThisHost(port).withFallback(benchConfig()),
            Pipelines.load(),
            TroupeNode.Membership.SELF);
    first.whenUp().toCompletableFuture().get(1, TimeUnit.MINUTES);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    org.apache.pekko.cluster.typed.Cluster cluster =
        org.apache.pekko.cluster.typed.Cluster.get(first.system());
    while (upMembers(cluster) < size) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + ": " + upMembers(cluster) + " of " + size + " members Up after 3 minutes");
      }
      Thread.sleep(200);
    }
    System.err.printf(Locale.ROOT, "cluster: %s has %d members Up%n", name, size);
    return List.of(first);
  }

  private static long upMembers(org.apache.pekko.cluster.typed.Cluster cluster) {
    long up = 0;
    for (org.apache.pekko.cluster.Member m : cluster.state().getMembers()) {
      if (m.status() == org.apache.pekko.cluster.MemberStatus.up()) {
        up++;
      }
    }
    return up;
  }

  /** Runs a member of the three-node cluster on this test host until the process is stopped. */
  private static void member(String seed) throws Exception {
    TroupeNode node =
        TroupeNode.start(
            "bench3",
            ConfigFactory.parseString(
                    "pekko.cluster.seed-nodes = [\"pekko://bench3@" + seed + "\"]")
                .withFallback(onThisHost(HOSTS_PORT))
                .withFallback(benchConfig()),
            Pipelines.load(),
            TroupeNode.Membership.SEEDS);
    String address = node.address();
    ClusterSharding.get(node.system())
        .init(Entity.of(Echo.KEY, ctx -> Echo.create(ctx.getEntityId(), address)));
    node.whenUp().toCompletableFuture().get(3, TimeUnit.MINUTES);
    System.err.printf(Locale.ROOT, "cluster: member %s is Up%n", address);
    node.system().getWhenTerminated().toCompletableFuture().get();
  }

  private static Config benchConfig() {
    return ConfigFactory.parseString(
        "troupe.persistence.journal = memory\n"
            + "troupe.jobs.workers-per-node = 2\n"
            + "pekko.loglevel = WARNING\n");
  }

  private static List<TroupeNode> startCluster(String name, int size) throws Exception {
    Config common = benchConfig();
    List<TroupeNode> nodes = new ArrayList<>();
    TroupeNode first = TroupeNode.start(name, common, Pipelines.load(), TroupeNode.Membership.SELF);
    nodes.add(first);
    first.whenUp().toCompletableFuture().get(1, TimeUnit.MINUTES);
    for (int i = 1; i < size; i++) {
      Config joining =
          ConfigFactory.parseString(
                  "pekko.cluster.seed-nodes = [\"pekko://" + name + "@" + first.address() + "\"]")
              .withFallback(common);
      nodes.add(TroupeNode.start(name, joining, Pipelines.load(), TroupeNode.Membership.SEEDS));
    }
    for (TroupeNode node : nodes) {
      node.whenUp().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
    return nodes;
  }

  /** Entities on the sender's node and on the others, found by asking each where it lives. */
  private record Placement(
      List<EntityRef<Echo.Command>> local, List<EntityRef<Echo.Command>> remote) {

    static Placement find(TroupeNode sender, int each) throws Exception {
      ClusterSharding sharding = ClusterSharding.get(sender.system());
      List<EntityRef<Echo.Command>> local = new ArrayList<>();
      List<EntityRef<Echo.Command>> remote = new ArrayList<>();
      for (int i = 0; (local.size() < each || remote.size() < each) && i < 100_000; i++) {
        EntityRef<Echo.Command> ref = sharding.entityRefFor(Echo.KEY, "echo-" + i);
        Echo.Here here =
            ref.<Echo.Here>ask(Echo.Where::new, Duration.ofSeconds(10))
                .toCompletableFuture()
                .get(15, TimeUnit.SECONDS);
        List<EntityRef<Echo.Command>> side = here.node().equals(sender.address()) ? local : remote;
        if (side.size() < each) {
          side.add(ref);
        }
      }
      if (local.size() < each || remote.size() < each) {
        throw new IllegalStateException("shards did not spread over the nodes");
      }
      return new Placement(local, remote);
    }
  }

  /** Floods the entities for a while with a bounded window; returns messages per second. */
  private static double flood(TroupeNode sender, List<EntityRef<Echo.Command>> targets, Duration d)
      throws Exception {
    AtomicLong acked = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    sender
        .system()
        .systemActorOf(
            flooder(targets, acked, stop, stopped),
            "flooder-" + System.nanoTime(),
            org.apache.pekko.actor.typed.Props.empty());
    Thread.sleep(500); // let the window fill and the flow settle before counting
    long a0 = acked.get();
    long t0 = System.nanoTime();
    Thread.sleep(d.toMillis());
    long a1 = acked.get();
    long t1 = System.nanoTime();
    stop.set(true);
    stopped.get(1, TimeUnit.MINUTES);
    return (a1 - a0) / ((t1 - t0) / 1e9);
  }

  private static Behavior<Echo.Ack> flooder(
      List<EntityRef<Echo.Command>> targets,
      AtomicLong acked,
      AtomicBoolean stop,
      CompletableFuture<Void> stopped) {
    return Behaviors.setup(
        ctx -> {
          long[] seq = {0};
          // Sent before the floods on the same path, so each entity knows where to ack first.
          targets.forEach(t -> t.tell(new Echo.StartFlood(ctx.getSelf())));
          Runnable sendOne =
              () -> targets.get((int) (seq[0] % targets.size())).tell(new Echo.Flood(seq[0]++));
          for (int i = 0; i < WINDOW; i++) {
            sendOne.run();
          }
          return Behaviors.receiveMessage(
              ack -> {
                acked.addAndGet(ack.count());
                if (stop.get()) {
                  stopped.complete(null);
                  return Behaviors.stopped();
                }
                for (int i = 0; i < ack.count(); i++) {
                  sendOne.run();
                }
                return Behaviors.same();
              });
        });
  }

  /** Sends pings one at a time; returns the round-trip times of the second half. */
  private static Histogram pingPong(TroupeNode sender, EntityRef<Echo.Command> target, int n)
      throws Exception {
    CompletableFuture<Histogram> done = new CompletableFuture<>();
    sender
        .system()
        .systemActorOf(
            Behaviors.<Echo.Pong>setup(
                ctx -> {
                  Histogram h = new Histogram(3_600_000_000_000L, 3);
                  long[] sentAt = {System.nanoTime()};
                  target.tell(new Echo.Ping(0, ctx.getSelf()));
                  return Behaviors.receiveMessage(
                      pong -> {
                        long now = System.nanoTime();
                        if (pong.seq() >= n / 2) {
                          h.recordValue(now - sentAt[0]);
                        }
                        if (pong.seq() + 1 == n) {
                          done.complete(h);
                          return Behaviors.stopped();
                        }
                        sentAt[0] = System.nanoTime();
                        target.tell(new Echo.Ping(pong.seq() + 1, ctx.getSelf()));
                        return Behaviors.same();
                      });
                }),
            "pinger-" + System.nanoTime(),
            org.apache.pekko.actor.typed.Props.empty());
    return done.get(5, TimeUnit.MINUTES);
  }

  private static long timeJob(TroupeNode node, String id) throws Exception {
    System.gc();
    long start = System.nanoTime();
    node.jobs()
        .start(new JobSpec("bench-" + id, "primes", List.of("--limit", PRIMES_LIMIT)))
        .toCompletableFuture()
        .get(10, TimeUnit.MINUTES);
    JobStatus done =
        node.jobs()
            .awaitCompletion("bench-" + id, Duration.ofMinutes(10))
            .toCompletableFuture()
            .get(11, TimeUnit.MINUTES);
    long nanos = System.nanoTime() - start;
    if (!"completed".equals(done.state()) || done.result().path("count").asLong() != PI_10_9) {
      throw new IllegalStateException("job " + id + " ended " + done.state() + ": " + done);
    }
    return nanos;
  }
}
