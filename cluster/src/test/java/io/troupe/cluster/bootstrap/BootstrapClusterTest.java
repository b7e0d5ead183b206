package io.troupe.cluster.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.cluster.testing.TestNodes;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster Bootstrap end to end in one JVM: three nodes with no seed nodes, each listing the three
 * HTTP endpoints as contact points, form one cluster, formed by the node with the lowest address;
 * then a fourth node that is not among the contact points joins it. Reads need the token on these
 * nodes, and the probes carry none: {@code /bootstrap/seed-nodes} is open.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class BootstrapClusterTest {

  private static final String SYSTEM = "bootstrap-test";
  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dir;

  private final List<TroupeNode> nodes = new ArrayList<>();
  private final List<Integer> httpPorts = new ArrayList<>();

  /** Closes the nodes all at once: one by one, each leaving hands the singletons on again. */
  @AfterAll
  void stop() {
    CompletableFuture.allOf(
            nodes.stream()
                .map(n -> CompletableFuture.runAsync(() -> TestNodes.close(n)))
                .toArray(CompletableFuture[]::new))
        .join();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private TroupeNode startNode(int httpPort, List<Integer> contactPorts) throws Exception {
    String contactPoints =
        contactPorts.stream().map(p -> "\"127.0.0.1:" + p + "\"").collect(Collectors.joining(","));
    TroupeNode node =
        TroupeNode.start(
            SYSTEM,
            ConfigFactory.parseString(
                "troupe.persistence.journal = memory\n"
                    + "pekko.remote.artery.canonical { hostname = 127.0.0.1, port = 0 }\n"
                    + "pekko.management.http { hostname = 127.0.0.1, port = "
                    + httpPort
                    + " }\n"
                    + "troupe.http.authenticate-reads = on\n"
                    // The nodes stop together at the end: no hand-off worth waiting for.
                    + "pekko.coordinated-shutdown.phases {"
                    + " cluster-sharding-shutdown-region.timeout = 2s,"
                    + " cluster-exiting.timeout = 2s }\n"
                    + "troupe.http.token-file = \""
                    + dir.resolve("http-token")
                    + "\"\n"
                    + "troupe.cluster.bootstrap {\n"
                    + "  enabled = on\n"
                    + "  discovery.config.contact-points = ["
                    + contactPoints
                    + "]\n"
                    + "  required-contact-points = 3\n"
                    + "  stable-margin = 1s\n"
                    + "  probe-interval = 200ms\n"
                    + "  request-timeout = 2s\n"
                    + "  formation-timeout = 25s\n"
                    + "}\n"),
            Pipelines.of(),
            TroupeNode.Membership.BOOTSTRAP);
    nodes.add(node);
    TestNodes.serveHttp(node);
    return node;
  }

  private static Set<Address> upMembers(TroupeNode node) {
    Set<Address> up = new HashSet<>();
    for (Member m : Cluster.get(node.system()).state().getMembers()) {
      if (m.status() == MemberStatus.up()) {
        up.add(m.address());
      }
    }
    return up;
  }

  /** The members as {@code node} sees them, oldest first. */
  private static List<Member> oldestFirst(TroupeNode node) {
    List<Member> members = new ArrayList<>();
    Cluster.get(node.system()).state().getMembers().forEach(members::add);
    members.sort((a, b) -> a.isOlderThan(b) ? -1 : b.isOlderThan(a) ? 1 : 0);
    return members;
  }

  private static Address self(TroupeNode node) {
    return Cluster.get(node.system()).selfMember().address();
  }

  private static void awaitAllUp(List<TroupeNode> all) throws Exception {
    CompletableFuture.allOf(
            all.stream()
                .map(n -> n.whenUp().toCompletableFuture())
                .toArray(CompletableFuture[]::new))
        .get(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void awaitMembersUp(List<TroupeNode> all, int count) throws InterruptedException {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    while (all.stream().anyMatch(n -> upMembers(n).size() != count)
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  @Test
  @Order(1)
  void threeNodes_withContactPointsAndNoSeeds_formOneClusterFormedByTheLowest() throws Exception {
    for (int i = 0; i < 3; i++) {
      httpPorts.add(freePort());
    }
    for (int port : httpPorts) {
      startNode(port, httpPorts);
    }
    awaitAllUp(nodes);
    awaitMembersUp(nodes, 3);
    Set<Address> expected =
        nodes.stream().map(BootstrapClusterTest::self).collect(Collectors.toSet());
    for (TroupeNode node : nodes) {
      assertThat(upMembers(node)).as("Up members seen by %s", self(node)).isEqualTo(expected);
    }
    Address lowest = expected.stream().min(Formation.ADDRESS_ORDER).orElseThrow();
    Member oldest = oldestFirst(nodes.get(0)).get(0);
    assertThat(oldest.address()).as("the node that formed the cluster").isEqualTo(lowest);
  }

  @Test
  @Order(2)
  void seedNodesRoute_withoutToken_answersSelfAndUpMembersOldestFirst() throws Exception {
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPorts.get(1) + "/bootstrap/seed-nodes"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode json = JSON.readTree(answer.body());
    assertThat(json.path("self").asText()).isEqualTo(self(nodes.get(1)).toString());
    List<String> seeds = new ArrayList<>();
    json.path("seedNodes").forEach(s -> seeds.add(s.asText()));
    List<String> oldestFirst =
        oldestFirst(nodes.get(1)).stream().map(m -> m.address().toString()).toList();
    assertThat(seeds).isEqualTo(oldestFirst);
    // and a route that holds data still needs the token on these nodes
    HttpResponse<String> jobs =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get(1) + "/api/jobs"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(jobs.statusCode()).isEqualTo(401);
  }

  @Test
  @Order(3)
  void fourthNode_notAmongTheContactPoints_joinsTheExistingCluster() throws Exception {
    TroupeNode fourth = startNode(freePort(), httpPorts);
    fourth.whenUp().toCompletableFuture().get(WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    awaitMembersUp(nodes, 4);
    Set<Address> expected =
        nodes.stream().map(BootstrapClusterTest::self).collect(Collectors.toSet());
    assertThat(expected).hasSize(4);
    for (TroupeNode node : nodes) {
      assertThat(upMembers(node)).as("Up members seen by %s", self(node)).isEqualTo(expected);
    }
  }
}
