package io.troupe.systemtest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;

/**
 * A lab of test hosts made by {@code src-test/hosts/hosts}: node hosts 1..N and a database host on
 * one bridge, each with its own address, a PostgreSQL of the lab's own on the database host, and
 * the script's partitions, one-way drops, delay and loss. The lab is named after this JVM, so a lab
 * left by a killed test JVM is pruned by the next; {@link #close} (or a shutdown hook) removes
 * everything the lab made.
 *
 * <p>Needs root, iproute2, iptables, PostgreSQL's {@code initdb} and {@code postgres}, and for
 * delay and loss gcc with libnetfilter-queue-dev. Without them the calling test is skipped, unless
 * {@code TROUPE_REQUIRE_NETNS=1} (as CI sets), in which case it fails.
 */
final class TestHosts implements AutoCloseable {

  static final Path SCRIPT =
      TroupeProcess.ROOT.resolve("src-test/hosts/hosts").toAbsolutePath().normalize();
  static final Path NODE_CONF =
      TroupeProcess.ROOT.resolve("src-test/hosts/node.conf").toAbsolutePath().normalize();
  static final Path BOOTSTRAP_CONF =
      TroupeProcess.ROOT.resolve("src-test/hosts/bootstrap-node.conf").toAbsolutePath().normalize();

  private static final long PID = ProcessHandle.current().pid();
  private static final Pattern HOST_LINE = Pattern.compile("^host (\\S+) (\\S+)$");

  private final String lab;
  private final Map<String, String> addresses;
  private final Thread cleanup;
  private boolean closed;

  private TestHosts(String lab, Map<String, String> addresses) {
    this.lab = lab;
    this.addresses = addresses;
    this.cleanup = new Thread(this::down, "hosts down " + lab);
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** Skips the calling test unless a lab can be made here; fails instead when required. */
  static void assumeAvailable() {
    NetNamespace.assumeAvailable();
    String missing = null;
    for (String tool : List.of("iptables", "initdb", "postgres", "gcc", "runuser")) {
      if (!onPath(tool)) {
        missing = tool + " is not on the PATH";
      }
    }
    if (!Files.exists(Path.of("/usr/include/libnetfilter_queue/libnetfilter_queue.h"))) {
      missing = "libnetfilter-queue-dev is not installed";
    }
    if (missing != null && "1".equals(System.getenv("TROUPE_REQUIRE_NETNS"))) {
      Assertions.fail(missing + " (TROUPE_REQUIRE_NETNS=1, so this is a failure, not a skip)");
    }
    assumeTrue(missing == null, missing);
  }

  /**
   * Makes a lab of {@code n} node hosts and a database host.
   *
   * @param n how many node hosts
   * @return the lab, its PostgreSQL answering
   */
  static TestHosts up(int n) throws IOException, InterruptedException {
    assumeAvailable();
    String lab = "j" + (PID % 100_000);
    script(lab, "prune");
    String out = script(lab, "up", Integer.toString(n));
    Map<String, String> addresses = new HashMap<>();
    for (String line : out.split("\n")) {
      Matcher m = HOST_LINE.matcher(line.strip());
      if (m.matches()) {
        addresses.put(m.group(1), m.group(2));
      }
    }
    TestHosts hosts = new TestHosts(lab, Map.copyOf(addresses));
    if (addresses.size() != n + 1) {
      hosts.close();
      throw new IOException("hosts up printed no address for some host: " + out);
    }
    return hosts;
  }

  /** Returns host {@code host}'s address ({@code 1..N} or {@code db}). */
  String address(String host) {
    String a = addresses.get(host);
    if (a == null) {
      throw new IllegalArgumentException("no host " + host);
    }
    return a;
  }

  /** Returns node host {@code i}'s address. */
  String address(int i) {
    return address(Integer.toString(i));
  }

  /** Returns the JDBC URL of the lab's database, as the hosts reach it. */
  String databaseUrl() {
    return "jdbc:postgresql://" + address("db") + ":5432/troupe";
  }

  /** Returns the lab's PostgreSQL log (its errors, e.g. a refused duplicate journal write). */
  Path postgresLog() {
    return Path.of("/run/troupe-hosts", lab, "pg.log");
  }

  /**
   * Returns a process builder that runs a command on host {@code host}, with the lab's environment
   * ({@code hosts run}).
   */
  ProcessBuilder process(String host, List<String> command) {
    List<String> full = new ArrayList<>(List.of(SCRIPT.toString(), "run", host));
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full);
    builder.environment().put("TROUPE_HOSTS_LAB", lab);
    return builder;
  }

  /** Cuts the hosts into groups ({@code "1"}, {@code "2,3"}) that cannot reach each other. */
  void partition(String... groups) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("partition"));
    args.addAll(List.of(groups));
    script(lab, args.toArray(String[]::new));
  }

  /** Drops what {@code from} sends to {@code to}. */
  void oneway(int from, int to) throws IOException, InterruptedException {
    script(lab, "oneway", Integer.toString(from), Integer.toString(to));
  }

  /** Delays (and drops) what host {@code i} sends, e.g. {@code "delay", "100ms", "50ms"}. */
  void netem(int i, String... spec) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("netem", Integer.toString(i)));
    args.addAll(List.of(spec));
    script(lab, args.toArray(String[]::new));
  }

  /** Removes every partition, one-way drop, delay and loss. */
  void heal() throws IOException, InterruptedException {
    script(lab, "heal");
  }

  /** Stops everything on the hosts and removes the lab; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    down();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs anyway; a second down is harmless.
    }
  }

  private void down() {
    try {
      script(lab, "down");
    } catch (Exception e) {
      System.err.println("TestHosts: could not remove lab " + lab + ": " + e);
    }
  }

  private static String script(String lab, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("TROUPE_HOSTS_LAB", lab);
    builder.environment().put("TROUPE_HOSTS_OWNER", Long.toString(PID));
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("hosts " + String.join(" ", args) + ": did not finish");
    }
    if (p.exitValue() != 0) {
      throw new IOException("hosts " + String.join(" ", args) + ": " + out.strip());
    }
    return out;
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
