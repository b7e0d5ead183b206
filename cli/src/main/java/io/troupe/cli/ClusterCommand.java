package io.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.TroupeNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe cluster up|down}: a local cluster of node processes, for trying things out. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Start or stop a local cluster of node processes.",
    subcommands = {ClusterCommand.Up.class, ClusterCommand.Down.class})
final class ClusterCommand implements Runnable {

  /** Where a local cluster keeps its logs and the list of its processes. */
  static final Path STATE_DIR = Path.of("data", "cluster");

  static final Path STATE = STATE_DIR.resolve("cluster.json");

  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say up or down");
  }

  /** One node process of a local cluster. */
  record NodeProcess(String name, long pid, String http, String address, String log) {}

  /** {@code troupe cluster up --nodes N [--config-dir DIR]}. */
  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description = "Start N node processes and wait until all are Up.")
  static final class Up implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = "--nodes",
        paramLabel = "N",
        defaultValue = "3",
        description = "How many nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
        names = "--config-dir",
        paramLabel = "DIR",
        description = "Directory with cluster.conf and node-<i>.conf (default: config/cluster).")
    Path configDir;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        defaultValue = "120",
        description = "How long to wait for all nodes to be Up.")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      Logging.configure(false);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (nodes < 1 || nodes > 20) {
        throw new UsageException("--nodes must be between 1 and 20, was " + nodes);
      }
      Path dir = configDir != null ? configDir : defaultConfigDir();
      if (!Files.isRegularFile(dir.resolve("cluster.conf"))) {
        throw new UsageException("--config-dir: no cluster.conf in " + dir.toAbsolutePath());
      }
      if (!running().isEmpty()) {
        throw new UsageException(
            "a local cluster is already running ("
                + STATE
                + "); stop it with: troupe cluster down");
      }
      Files.createDirectories(STATE_DIR);
      err.println("troupe: starting " + nodes + " node(s) from " + dir + " ...");
      err.flush();
      List<NodeProcess> started = new ArrayList<>();
      List<Process> processes = new ArrayList<>();
      try {
        for (int i = 1; i <= nodes; i++) {
          Path file = dir.resolve("node-" + i + ".conf");
          Map<String, String> overrides = new LinkedHashMap<>();
          if (!Files.isRegularFile(file)) {
            // Beyond the shipped node files: the shared settings with the next ports.
            file = dir.resolve("cluster.conf");
            overrides.put("pekko.remote.artery.canonical.port", Integer.toString(2550 + i));
            overrides.put("pekko.management.http.port", Integer.toString(8550 + i));
          }
          Config node =
              TroupeNode.config(
                  ConfigFactory.parseMap(overrides)
                      .withFallback(ConfigFactory.parseFile(file.toFile())));
          String http =
              "http://"
                  + node.getString("pekko.management.http.hostname")
                  + ":"
                  + node.getInt("pekko.management.http.port");
          String address =
              "pekko://troupe@"
                  + node.getString("pekko.remote.artery.canonical.hostname")
                  + ":"
                  + node.getInt("pekko.remote.artery.canonical.port");
          // A node whose port is taken would fail, while whatever holds the port (often a
          // cluster started elsewhere) answered the readiness checks in its place.
          requireFree(
              node.getString("pekko.remote.artery.canonical.hostname"),
              node.getInt("pekko.remote.artery.canonical.port"),
              "node-" + i + "'s cluster port");
          requireFree(
              node.getString("pekko.management.http.hostname"),
              node.getInt("pekko.management.http.port"),
              "node-" + i + "'s HTTP port");
          Path log = STATE_DIR.resolve("node-" + i + ".log");
          Process p = launch(file, overrides, log);
          processes.add(p);
          started.add(new NodeProcess("node-" + i, p.pid(), http, address, log.toString()));
          write(started);
          if (i == 1 && nodes > 1) {
            // The first seed forms the cluster; the others join it, so give it a head start.
            waitReady(
                started.subList(0, 1),
                processes.subList(0, 1),
                Duration.ofSeconds(timeoutSeconds),
                1);
          }
        }
        waitReady(started, processes, Duration.ofSeconds(timeoutSeconds), nodes);
      } catch (RuntimeException | InterruptedException e) {
        stop(started, err);
        Files.deleteIfExists(STATE);
        throw e;
      }
      for (NodeProcess n : started) {
        out.println(n.name() + "\t" + n.address() + "\t" + n.http() + "\tlog " + n.log());
      }
      out.flush();
      err.println(
          "troupe: "
              + nodes
              + " node(s) Up. Submit with: troupe submit wordcount --node "
              + started.get(0).http()
              + " --wait");
      err.println("troupe: stop them with: troupe cluster down");
      err.flush();
      return ExitCode.COMPLETED;
    }

    private static Process launch(Path config, Map<String, String> overrides, Path log)
        throws IOException {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.add("-XX:+UseParallelGC");
      command.add("-Xms256m");
      command.add("-Xmx1g");
      Path jar = jar();
      Path jsa = jar.resolveSibling("troupe.jsa");
      if (Files.isRegularFile(jsa)
          && Files.getLastModifiedTime(jsa).compareTo(Files.getLastModifiedTime(jar)) > 0) {
        command.add("-XX:SharedArchiveFile=" + jsa);
        command.add("-Xlog:cds=off");
        command.add("-Xlog:cds+dynamic=off");
      }
      String home = System.getProperty("troupe.home");
      if (home != null) {
        command.add("-Dtroupe.home=" + home);
      }
      // The nodes get this command's classpath, plug-ins included (bin/troupe --classpath).
      command.add("-Dtroupe.plugins=" + System.getProperty("troupe.plugins", ""));
      overrides.forEach((k, v) -> command.add("-D" + k + "=" + v));
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(Troupe.class.getName());
      command.add("node");
      command.add("--config");
      command.add(config.toAbsolutePath().toString());
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    }

    private static void waitReady(
        List<NodeProcess> nodes, List<Process> processes, Duration timeout, int expectUp)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        int ready = 0;
        for (int i = 0; i < nodes.size(); i++) {
          NodeProcess n = nodes.get(i);
          if (!processes.get(i).isAlive()) {
            throw new UsageException(
                n.name()
                    + " stopped while starting; last lines of "
                    + n.log()
                    + ": "
                    + tail(Path.of(n.log())));
          }
          if (isReady(n, expectUp)) {
            ready++;
          }
        }
        if (ready == nodes.size()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new UsageException(
              "the nodes were not all Up after " + timeout.toSeconds() + " s; see " + STATE_DIR);
        }
        Thread.sleep(300);
      }
    }

    private static boolean isReady(NodeProcess n, int expectUp) {
      try {
        // The nodes started here inherit TROUPE_HTTP_TOKEN, else keep their token in this
        // directory: found afresh each time, as the first node writes it while starting.
        NodeClient client = NodeClient.of(n.http(), TokenOptions.forLocalCluster(n.http()));
        if (client.get("/ready").status() != 200) {
          return false;
        }
        int up = 0;
        for (JsonNode m : client.get("/cluster/members").body().path("members")) {
          if ("Up".equals(m.path("status").asText())) {
            up++;
          }
        }
        return up >= expectUp;
      } catch (UsageException e) {
        return false;
      }
    }
  }

  /** {@code troupe cluster down}. */
  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Stop the local cluster's node processes.")
  static final class Down implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Logging.configure(false);
      PrintWriter err = spec.commandLine().getErr();
      List<NodeProcess> nodes = running();
      if (nodes.isEmpty()) {
        err.println("troupe: no local cluster is running here (" + STATE + ")");
        Files.deleteIfExists(STATE);
        err.flush();
        return ExitCode.COMPLETED;
      }
      stop(nodes, err);
      Files.deleteIfExists(STATE);
      err.println("troupe: stopped " + nodes.size() + " node(s); their logs stay in " + STATE_DIR);
      err.flush();
      return ExitCode.COMPLETED;
    }
  }

  private static void requireFree(String host, int port, String what) {
    if (port == 0) {
      return;
    }
    try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
      socket.bind(new java.net.InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new UsageException(
          what
              + " "
              + host
              + ":"
              + port
              + " is in use (is another cluster running? stop it with troupe cluster down"
              + " where it was started)");
    }
  }

  private static Path defaultConfigDir() {
    String home = System.getProperty("troupe.home");
    return home != null ? Path.of(home, "config", "cluster") : Path.of("config", "cluster");
  }

  static Path jar() {
    try {
      return Path.of(Troupe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns the nodes of the state file whose processes are still alive. */
  static List<NodeProcess> running() throws IOException {
    if (!Files.isRegularFile(STATE)) {
      return List.of();
    }
    List<NodeProcess> alive = new ArrayList<>();
    for (JsonNode n : JSON.readTree(STATE.toFile()).path("nodes")) {
      NodeProcess p = JSON.treeToValue(n, NodeProcess.class);
      Optional<ProcessHandle> handle = ProcessHandle.of(p.pid());
      if (handle.isPresent() && handle.get().isAlive()) {
        alive.add(p);
      }
    }
    return alive;
  }

  private static void write(List<NodeProcess> nodes) throws IOException {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ArrayNode list = root.putArray("nodes");
    nodes.forEach(n -> list.add(JSON.valueToTree(n)));
    JSON.writerWithDefaultPrettyPrinter().writeValue(STATE.toFile(), root);
  }

  /** Stops nodes gracefully (SIGTERM: they leave the cluster), forcibly after 30 seconds. */
  static void stop(List<NodeProcess> nodes, PrintWriter err) {
    List<ProcessHandle> handles = new ArrayList<>();
    for (NodeProcess n : nodes) {
      ProcessHandle.of(n.pid())
          .filter(ProcessHandle::isAlive)
          .ifPresent(
              h -> {
                h.destroy();
                handles.add(h);
              });
    }
    for (ProcessHandle h : handles) {
      try {
        h.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        err.println("troupe: process " + h.pid() + " did not stop in 30 s; killing it");
        h.destroyForcibly();
      }
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
