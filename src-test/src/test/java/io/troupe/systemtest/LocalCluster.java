package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A local cluster of real node processes started with {@code troupe cluster up} from the shipped
 * configs ({@code config/cluster}), for system tests: HTTP helpers, SIGKILL and restart of a node.
 * It stops every process it started on {@link #stop()}.
 *
 * <p>Its nodes get {@link #TOKEN} as {@code TROUPE_HTTP_TOKEN}, and the HTTP helpers send it, so
 * the tests need not read token files; the token file a node keeps when none is given, and the CLI
 * finding it by itself, are tested in {@code CliIT} and {@code PluginIT}.
 */
final class LocalCluster {

  /** The bearer token of the nodes system tests start, given as {@code TROUPE_HTTP_TOKEN}. */
  static final String TOKEN = "system-test-token-5f1c0d2a9b7e4c38";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One node: its name (node-1...), process, HTTP base URL and Artery address. */
  static final class Node {
    final String name;
    final String http;
    final String hostPort;
    ProcessHandle process;

    Node(String name, String http, String address, ProcessHandle process) {
      this.name = name;
      this.http = http;
      this.hostPort = address.substring(address.indexOf('@') + 1);
      this.process = process;
    }
  }

  private final Path dir;
  private final Map<String, String> env;
  private final List<Node> nodes = new ArrayList<>();

  private LocalCluster(Path dir, Map<String, String> env) {
    this.dir = dir;
    this.env = withToken(env);
  }

  /** Returns the environment with {@code TROUPE_HTTP_TOKEN} set to {@link #TOKEN}. */
  static Map<String, String> withToken(Map<String, String> env) {
    Map<String, String> with = new HashMap<>(env);
    with.put("TROUPE_HTTP_TOKEN", TOKEN);
    return Map.copyOf(with);
  }

  /**
   * Runs {@code troupe cluster up --nodes n} in {@code dir} and waits until it reports all Up.
   *
   * @param dir the working directory (the cluster's state and logs go under {@code data/cluster})
   * @param n how many nodes
   * @param env environment of the node processes (the database URL); {@code TROUPE_HTTP_TOKEN} is
   *     added
   */
  static LocalCluster up(Path dir, int n, Map<String, String> env) throws Exception {
    LocalCluster cluster = new LocalCluster(dir, env);
    TroupeProcess.Result r =
        TroupeProcess.run(dir, cluster.env, "cluster", "up", "--nodes", Integer.toString(n));
    JsonNode state = JSON.readTree(dir.resolve("data/cluster/cluster.json").toFile());
    for (JsonNode node : state.path("nodes")) {
      cluster.nodes.add(
          new Node(
              node.path("name").asText(),
              node.path("http").asText(),
              node.path("address").asText(),
              ProcessHandle.of(node.path("pid").asLong()).orElse(null)));
    }
    assertThat(r.exitCode()).as("cluster up: %s", r.stderr()).isZero();
    assertThat(cluster.nodes).hasSize(n);
    return cluster;
  }

  List<Node> nodes() {
    return nodes;
  }

  Node node(int i) {
    return nodes.get(i);
  }

  /** Returns the node whose Artery address is {@code host:port}. */
  Node byHostPort(String hostPort) {
    return nodes.stream()
        .filter(n -> n.hostPort.equals(hostPort))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no node at " + hostPort));
  }

  /** GETs a path; returns the status code and the body parsed as JSON (null if it is not). */
  static Answer get(String url) throws IOException, InterruptedException {
    return get(url, Duration.ofSeconds(20));
  }

  /** GETs a path, waiting at most {@code timeout} for the answer. */
  static Answer get(String url, Duration timeout) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Authorization", "Bearer " + TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), parse(response.body()));
  }

  /** POSTs a JSON body; returns the status code and the parsed answer. */
  static Answer post(String url, String body) throws IOException, InterruptedException {
    HttpResponse<String> response = postResponse(url, body);
    return new Answer(response.statusCode(), parse(response.body()));
  }

  /** GETs a path with {@link #TOKEN}; returns the whole response (headers, raw body). */
  static HttpResponse<String> getResponse(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + TOKEN)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs a JSON body with {@link #TOKEN}; returns the whole response (headers, raw body). */
  static HttpResponse<String> postResponse(String url, String body)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a DELETE, with {@link #TOKEN} or none; returns the status code and the parsed answer. */
  static Answer delete(String url, boolean withToken) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .DELETE();
    if (withToken) {
      request.header("Authorization", "Bearer " + TOKEN);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), parse(response.body()));
  }

  /** GETs a URL without any token; returns the status code (to check what needs one). */
  static int statusWithoutToken(String url) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  record Answer(int status, JsonNode body) {}

  static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** Returns how many members a node's {@code /cluster/members} lists with the given status. */
  static long members(Node node, String status) {
    try {
      Answer a = get(node.http + "/cluster/members");
      if (a.status() != 200 || a.body() == null) {
        return -1;
      }
      long count = 0;
      for (JsonNode m : a.body().path("members")) {
        if (status.equals(m.path("status").asText())) {
          count++;
        }
      }
      return count;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Returns true if the node's own {@code /cluster/members} lists it as Up. */
  static boolean selfUp(Node node) throws IOException, InterruptedException {
    Answer a = get(node.http + "/cluster/members");
    if (a.body() == null) {
      return false;
    }
    for (JsonNode m : a.body().path("members")) {
      if (m.path("node").asText().endsWith("@" + node.hostPort)) {
        return "Up".equals(m.path("status").asText());
      }
    }
    return false;
  }

  /**
   * Waits until a (re)starting node's {@code /ready} answers 200, checking that when it does, the
   * node sees itself Up.
   */
  static void awaitReady(Node node, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Answer ready;
      try {
        ready = get(node.http + "/ready");
      } catch (IOException e) {
        Thread.sleep(100); // not listening yet
        continue;
      }
      if (ready.status() == 200) {
        assertThat(selfUp(node)).as("%s is ready only when it is Up", node.name).isTrue();
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(node.name + " was not ready after " + timeout);
  }

  /** Waits until every node's process is alive and each lists exactly n members, all Up. */
  void awaitAllUp(Duration timeout) {
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                nodes.stream()
                    .allMatch(
                        n ->
                            n.process != null
                                && n.process.isAlive()
                                && members(n, "Up") == nodes.size()
                                && totalMembers(n) == nodes.size()));
  }

  private static long totalMembers(Node node) {
    try {
      Answer a = get(node.http + "/cluster/members");
      return a.body() == null ? -1 : a.body().path("members").size();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Kills a node's process with SIGKILL, as a crash would, and waits until it is gone. */
  void kill(Node node) throws Exception {
    node.process.destroyForcibly();
    node.process.onExit().get(30, TimeUnit.SECONDS);
  }

  /** Stops a node cleanly with SIGTERM (it leaves the cluster first) and waits until it is gone. */
  void terminate(Node node) throws Exception {
    node.process.destroy();
    node.process.onExit().get(60, TimeUnit.SECONDS);
  }

  /** Sends a signal ({@code STOP}, {@code CONT}) to a node's process. */
  static void signal(Node node, String signal) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(node.process.pid()))
            .redirectErrorStream(true)
            .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + signal + " " + node.process.pid() + " failed");
    }
  }

  /** Starts a killed node again from its shipped config file, its output appended to a log. */
  void restart(Node node) throws IOException {
    Path config = TroupeProcess.ROOT.resolve("config/cluster/" + node.name + ".conf");
    Path log = dir.resolve("data/cluster/" + node.name + "-restarted.log");
    Process p =
        TroupeProcess.start(
            dir,
            List.of(),
            new HashMap<>(env),
            log,
            log,
            "node",
            "--config",
            config.toAbsolutePath().normalize().toString());
    node.process = p.toHandle();
  }

  /** Stops the cluster: {@code troupe cluster down}, then any node this helper restarted. */
  void stop() throws Exception {
    try {
      TroupeProcess.run(dir, env, "cluster", "down");
    } finally {
      for (Node n : nodes) {
        if (n.process != null && n.process.isAlive()) {
          n.process.destroy();
          try {
            n.process.onExit().get(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            n.process.destroyForcibly();
          }
        }
      }
    }
  }
}
