package io.troupe.systemtest;

import static io.troupe.systemtest.JobsApi.LARGEST_PRIME_BELOW_10_10;
import static io.troupe.systemtest.JobsApi.PI_10_10;
import static io.troupe.systemtest.JobsApi.done;
import static io.troupe.systemtest.JobsApi.items;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network partitions between real node processes on test hosts of their own ({@link TestHosts}:
 * three node hosts and a database host running the lab's PostgreSQL, the ledger). Each scenario
 * runs a primes job to 10^10 (2,501 items), breaks the network a moment into it, checks the exact
 * result (which also proves no item was counted twice), and restarts the nodes the cluster downed
 * once the network is healed, as a supervisor would:
 *
 * <ul>
 *   <li>2|1: the side of one downs itself (keep-majority), the majority finishes the job; the
 *       downed node, restarted after the heal, rejoins;
 *   <li>1|1|1: every node is a minority and downs itself; once the hosts are back and the nodes
 *       restarted, the registry wakes the job and it completes;
 *   <li>one direction dropped between two nodes;
 *   <li>a flaky link: what one host sends is delayed 100 ms &plusmn; 50 ms and 10% of it lost.
 * </ul>
 *
 * <p>No two coordinators of one job may write its ledger at once: a second writer's events would be
 * refused by the journal's key on (job, sequence number). Each scenario counts such refusals in the
 * lab's PostgreSQL log and reports them; the exact result shows none lost data.
 *
 * <p>{@code -Dpartition.trials=N} runs each scenario N times (CI runs 1), {@code
 * -Dpartition.seed=S} replays a run: each trial prints its seed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class PartitionIT {

  private static final Duration UP_LIMIT = Duration.ofMinutes(2);
  private static final Duration DOWNED_LIMIT = Duration.ofSeconds(90);

  private final long seed = Long.getLong("partition.seed", System.currentTimeMillis());
  private final int trials = Integer.getInteger("partition.trials", 1);
  private final List<String> figures = new ArrayList<>();

  private TestHosts hosts;
  private final List<HostNode> nodes = new ArrayList<>();

  /** A node process on a test host. */
  private final class HostNode {
    final int host;
    final Path dir;
    final LocalCluster.Node node;

    HostNode(int host, Path dir) {
      this.host = host;
      this.dir = dir;
      String address = hosts.address(host);
      this.node =
          new LocalCluster.Node(
              "host-" + host,
              "http://" + address + ":8551",
              "pekko://troupe@" + address + ":2551",
              null);
    }

    boolean alive() {
      return node.process != null && node.process.isAlive();
    }

    void start() throws IOException {
      ProcessBuilder builder =
          hosts
              .process(
                  Integer.toString(host),
                  TroupeProcess.command(
                      List.of(), "node", "--config", TestHosts.NODE_CONF.toString()))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()));
      builder.environment().putAll(LocalCluster.withToken(java.util.Map.of()));
      node.process = builder.start().toHandle();
    }

    void stop() throws Exception {
      if (alive()) {
        node.process.destroy();
        try {
          node.process.onExit().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          node.process.destroyForcibly();
        }
      }
    }
  }

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    hosts = TestHosts.up(3);
    for (int i = 1; i <= 3; i++) {
      HostNode n = new HostNode(i, Files.createDirectories(dir.resolve("host-" + i)));
      nodes.add(n);
      n.start();
    }
    awaitAllUp();
  }

  @AfterEach
  void healAndRestart() throws Exception {
    hosts.heal();
    for (HostNode n : nodes) {
      if (!n.alive()) {
        n.start();
      }
    }
    awaitAllUp();
  }

  /** Names the nodes the cluster downed (their processes exited), or "none". */
  private String downedNames() {
    List<String> downed = new ArrayList<>();
    for (HostNode n : nodes) {
      if (!n.alive()) {
        downed.add(n.node.name);
      }
    }
    return downed.isEmpty() ? "none" : String.join(", ", downed);
  }

  @AfterAll
  void stop() throws Exception {
    figures.forEach(System.out::println);
    try {
      for (HostNode n : nodes) {
        n.stop();
      }
    } finally {
      if (hosts != null) {
        hosts.close();
      }
    }
  }

  @Test
  @Order(1)
  void twoAgainstOne_theMinorityDownsItself_theMajorityFinishesExactly_andTheNodeRejoins()
      throws Exception {
    for (int trial = 1; trial <= trials; trial++) {
      long trialSeed = seed + trial;
      Random random = new Random(trialSeed);
      String context = context("2|1", trial, trialSeed);
      long refusedBefore = refusedLedgerWrites();
      int allBefore = refusedWrites().size();
      Started job = startJob(random);
      // Half the trials cut off the coordinator's node, the others a worker's.
      HostNode victim =
          random.nextBoolean()
              ? job.coordinatorNode()
              : nodes.get((job.coordinatorNode().host + random.nextInt(2)) % 3);
      List<HostNode> majority = others(victim);
      long doneAtCut = done(awaitStatus(job.id, nodes, s -> true, Duration.ofMinutes(1)));
      long cutAt = System.nanoTime();
      hosts.partition(Integer.toString(victim.host), groupOf(majority));

      // Progress first: the majority may go on before the minority is downed (a worker cut off).
      awaitStatus(job.id, majority, s -> done(s) > doneAtCut, Duration.ofMinutes(2));
      double resumed = secondsSince(cutAt);
      awaitExit(victim, context);
      double downedAfter = secondsSince(cutAt);
      JsonNode finished = awaitCompleted(job.id, majority, context);
      double completed = secondsSince(cutAt);
      assertExact(finished, context);
      assertThat(survivors(majority)).as("%s: the majority stays up", context).isTrue();

      hosts.heal();
      long healedAt = System.nanoTime();
      victim.start();
      awaitAllUp();
      double rejoined = secondsSince(healedAt);
      long refused = refusedLedgerWrites() - refusedBefore;
      figures.add(
          String.format(
                  Locale.ROOT,
                  "%s: cut off %s (%s) at %.0f%%; it downed itself after %.1f s; progress again"
                      + " after %.1f s, completed %.1f s after the cut; %d re-dispatched, %d resumed"
                      + " from the ledger; refused ledger writes %d; restarted after the heal, it"
                      + " rejoined in %.1f s",
                  context,
                  victim.node.name,
                  victim == job.coordinatorNode() ? "the coordinator's node" : "a worker's node",
                  100.0 * doneAtCut / Math.max(1, items(job.seen)),
                  downedAfter,
                  resumed,
                  completed,
                  report(finished, "itemsRedispatched"),
                  report(finished, "itemsResumed"),
                  refused,
                  rejoined)
              + otherRefusals(allBefore));
    }
  }

  @Test
  @Order(2)
  void allThreeApart_everyNodeDownsItself_andTheJobCompletesOnceTheHostsAreBack() throws Exception {
    for (int trial = 1; trial <= trials; trial++) {
      long trialSeed = seed + trial;
      String context = context("1|1|1", trial, trialSeed);
      long refusedBefore = refusedLedgerWrites();
      int allBefore = refusedWrites().size();
      Started job = startJob(new Random(trialSeed));
      long cutAt = System.nanoTime();
      hosts.partition("1", "2", "3");
      for (HostNode n : nodes) {
        awaitExit(n, context);
      }
      double allDown = secondsSince(cutAt);

      hosts.heal();
      long healedAt = System.nanoTime();
      for (HostNode n : nodes) {
        n.start();
      }
      JsonNode finished = awaitCompleted(job.id, nodes, context);
      double completed = secondsSince(healedAt);
      assertExact(finished, context);
      long refused = refusedLedgerWrites() - refusedBefore;
      figures.add(
          String.format(
                  Locale.ROOT,
                  "%s: cut at %.0f%%; all three downed themselves within %.1f s; restarted after the"
                      + " heal, the job completed %.1f s after it; %d re-dispatched, %d resumed from"
                      + " the ledger; refused ledger writes %d",
                  context,
                  100.0 * done(job.seen) / Math.max(1, items(job.seen)),
                  allDown,
                  completed,
                  report(finished, "itemsRedispatched"),
                  report(finished, "itemsResumed"),
                  refused)
              + otherRefusals(allBefore));
      healAndRestart();
    }
  }

  @Test
  @Order(3)
  void oneDirectionDropped_theResultIsExact() throws Exception {
    for (int trial = 1; trial <= trials; trial++) {
      long trialSeed = seed + trial;
      Random random = new Random(trialSeed);
      String context = context("one-way", trial, trialSeed);
      long refusedBefore = refusedLedgerWrites();
      int allBefore = refusedWrites().size();
      Started job = startJob(random);
      HostNode from = nodes.get(random.nextInt(3));
      HostNode to = others(from).get(random.nextInt(2));
      long cutAt = System.nanoTime();
      hosts.oneway(from.host, to.host);

      JsonNode finished = awaitCompleted(job.id, nodes, context);
      double completed = secondsSince(cutAt);
      assertExact(finished, context);
      String downed = downedNames();
      long refused = refusedLedgerWrites() - refusedBefore;
      figures.add(
          String.format(
                  Locale.ROOT,
                  "%s: dropped what %s sends to %s at %.0f%%; downed: %s; completed %.1f s after the"
                      + " cut; %d re-dispatched, %d resumed from the ledger; refused ledger writes %d",
                  context,
                  from.node.name,
                  to.node.name,
                  100.0 * done(job.seen) / Math.max(1, items(job.seen)),
                  downed,
                  completed,
                  report(finished, "itemsRedispatched"),
                  report(finished, "itemsResumed"),
                  refused)
              + otherRefusals(allBefore));
      healAndRestart();
    }
  }

  @Test
  @Order(4)
  void flakyLink_delayAndLoss_theResultIsExact() throws Exception {
    for (int trial = 1; trial <= trials; trial++) {
      long trialSeed = seed + trial;
      Random random = new Random(trialSeed);
      String context = context("flaky link", trial, trialSeed);
      long refusedBefore = refusedLedgerWrites();
      int allBefore = refusedWrites().size();
      HostNode flaky = nodes.get(random.nextInt(3));
      hosts.netem(
          flaky.host,
          "delay",
          "100ms",
          "50ms",
          "loss",
          "10%",
          "seed",
          Long.toString(Math.floorMod(trialSeed, 1_000_000L)));
      long startedAt = System.nanoTime();
      Started job = startJob(random);
      JsonNode finished = awaitCompleted(job.id, nodes, context);
      double completed = secondsSince(startedAt);
      assertExact(finished, context);
      String downed = downedNames();
      long refused = refusedLedgerWrites() - refusedBefore;
      figures.add(
          String.format(
                  Locale.ROOT,
                  "%s: %s's traffic delayed 100 ms +/- 50 ms with 10%% loss; completed in %.1f s;"
                      + " downed: %s; %d re-dispatched; refused ledger writes %d",
                  context,
                  flaky.node.name,
                  completed,
                  downed,
                  report(finished, "itemsRedispatched"),
                  refused)
              + otherRefusals(allBefore));
      healAndRestart();
    }
  }

  /** A submitted job, seen running. */
  private record Started(String id, JsonNode seen, List<HostNode> nodes) {
    HostNode coordinatorNode() {
      String coordinator = seen.path("coordinator").asText();
      return nodes.stream()
          .filter(n -> n.node.hostPort.equals(coordinator))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no node is the coordinator " + coordinator));
    }
  }

  /** Submits primes to 10^10 on a node chosen at random and waits until 10-40% is done. */
  private Started startJob(Random random) throws Exception {
    HostNode entry = nodes.get(random.nextInt(3));
    double at = 0.1 + 0.3 * random.nextDouble();
    String id = JobsApi.submitLongPrimes(entry.node);
    JsonNode seen =
        awaitStatus(
            id,
            List.of(entry),
            s -> done(s) >= at * items(s) && !s.path("coordinator").asText().isEmpty(),
            Duration.ofMinutes(2));
    return new Started(id, seen, nodes);
  }

  /** Polls the job's status on whichever of the nodes is alive until it shows {@code until}. */
  private static JsonNode awaitStatus(
      String id, List<HostNode> on, Predicate<JsonNode> until, Duration atMost) {
    AtomicReference<JsonNode> seen = new AtomicReference<>();
    int[] turn = {0};
    Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              HostNode n = on.get(turn[0]++ % on.size());
              if (!n.alive()) {
                return false;
              }
              // A short wait: a node that never reached the job's shard asks Pekko's shard
              // coordinator where it is, and if that is on a cut-off node the answer waits until
              // it moves; another node may know already.
              JsonNode s =
                  LocalCluster.get(n.node.http + "/api/jobs/" + id, Duration.ofSeconds(2)).body();
              if (s == null || items(s) == 0) {
                return false;
              }
              seen.set(s);
              return until.test(s);
            });
    return seen.get();
  }

  private static JsonNode awaitCompleted(String id, List<HostNode> on, String context) {
    JsonNode done =
        awaitStatus(
            id, on, s -> s.path("status").asText().startsWith("completed"), Duration.ofMinutes(4));
    assertThat(done.path("status").asText()).as(context).isEqualTo("completed");
    return done;
  }

  private static void assertExact(JsonNode finished, String context) {
    JsonNode result = finished.path("result");
    assertThat(result.path("count").asLong()).as("%s: %s", context, finished).isEqualTo(PI_10_10);
    assertThat(result.path("largest").asLong()).as(context).isEqualTo(LARGEST_PRIME_BELOW_10_10);
    assertThat(done(finished)).as(context).isEqualTo(items(finished));
  }

  /** Waits until a node's process has exited (the cluster downed it), and checks it said so. */
  private static void awaitExit(HostNode n, String context) throws Exception {
    Awaitility.await()
        .atMost(DOWNED_LIMIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !n.alive());
    String log = Files.readString(n.dir.resolve("node.log"), StandardCharsets.UTF_8);
    assertThat(log)
        .as("%s: %s was downed", context, n.node.name)
        .contains("was downed by the cluster and stopped");
  }

  /**
   * Waits until every node is Up and reachable in every node's view, restarting, as a supervisor
   * would, any node that exits meanwhile (the cluster may down one a moment after the network is
   * healed, on a decision it took before).
   */
  private void awaitAllUp() {
    Awaitility.await()
        .atMost(UP_LIMIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              for (HostNode n : nodes) {
                if (!n.alive()) {
                  n.start();
                }
              }
              return nodes.stream()
                  .allMatch(
                      n ->
                          n.alive()
                              && LocalCluster.members(n.node, "Up") == nodes.size()
                              && upOnly(n));
            });
  }

  private static boolean upOnly(HostNode n) {
    LocalCluster.Answer a;
    try {
      a = LocalCluster.get(n.node.http + "/cluster/members");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return a.body() != null
        && a.body().path("members").size() == 3
        && a.body().path("unreachable").size() == 0;
  }

  private List<HostNode> others(HostNode n) {
    return nodes.stream().filter(o -> o != n).toList();
  }

  private static boolean survivors(List<HostNode> group) {
    return group.stream().allMatch(HostNode::alive);
  }

  private static String groupOf(List<HostNode> group) {
    return String.join(",", group.stream().map(n -> Integer.toString(n.host)).toList());
  }

  /**
   * Counts journal writes the lab's PostgreSQL refused because another writer had written the same
   * sequence number of the same ledger ({@code event_journal_pkey}): two writers of one job's
   * ledger at once.
   */
  private long refusedLedgerWrites() throws IOException {
    return refusedWrites().stream().filter(l -> l.contains("\"event_journal_pkey\"")).count();
  }

  /** Returns the lab's PostgreSQL's duplicate-key refusals, of any table, as logged. */
  private List<String> refusedWrites() throws IOException {
    Path log = hosts.postgresLog();
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(l -> l.contains("duplicate key value violates unique constraint"))
        .toList();
  }

  /** Names the tables' keys of refusals since {@code before} other than the journal's, or "". */
  private String otherRefusals(int before) throws IOException {
    List<String> all = refusedWrites();
    List<String> other =
        all.subList(Math.min(before, all.size()), all.size()).stream()
            .filter(l -> !l.contains("\"event_journal_pkey\""))
            .map(l -> l.substring(l.indexOf("constraint")))
            .toList();
    return other.isEmpty() ? "" : "; other refused writes: " + other;
  }

  private static long report(JsonNode finished, String field) {
    return finished.path("report").path(field).asLong();
  }

  private static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }

  private static String context(String scenario, int trial, long trialSeed) {
    return String.format(
        Locale.ROOT, "partition %s trial %d (seed %d)", scenario, trial, trialSeed);
  }
}
