package io.troupe.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test hosts of the test's own: network namespaces on a Linux bridge of the test's own, on a
 * private /24 ({@code 10.216.K.0/24}: the bridge is {@code .1}, host i is {@code .(i+2)}), so that
 * the hosts reach each other and this machine reaches each of them, and nothing else is a target.
 *
 * <p>Needs root and iproute2's {@code ip}; without them the calling test is skipped. {@link #close}
 * kills what runs inside, removes the namespaces, the veth pairs and the bridge; a JVM that exits
 * without closing does it in a shutdown hook, and the next {@link #create} removes what a killed
 * test JVM left.
 */
final class TestHosts implements AutoCloseable {

  private static final String PREFIX = "troupe-deploy-";
  private static final long PID = ProcessHandle.current().pid();
  private static final String IP =
      Files.isExecutable(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "/sbin/ip";

  private final String bridge;
  private final List<String> names = new ArrayList<>();
  private final List<String> veths = new ArrayList<>();
  private final List<String> addresses = new ArrayList<>();
  private final Thread cleanup = new Thread(this::remove, "remove test hosts");
  private boolean closed;

  private TestHosts(String bridge) {
    this.bridge = bridge;
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** Skips the calling test unless namespaces can be made here. */
  static void assumeAvailable() {
    assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
    assumeTrue(Files.isExecutable(Path.of(IP)), "iproute2's ip is not installed");
  }

  /**
   * Makes {@code count} hosts on one bridge.
   *
   * @throws IOException if {@code ip} refuses (what it printed is in the message)
   */
  static TestHosts create(int count) throws IOException, InterruptedException {
    assumeAvailable();
    removeOrphans();
    String id = Long.toString(PID % 100_000);
    int subnet = freeSubnet();
    TestHosts hosts = new TestHosts("trdb" + id);
    try {
      ip("link", "add", hosts.bridge, "type", "bridge");
      ip("addr", "add", "10.216." + subnet + ".1/24", "dev", hosts.bridge);
      ip("link", "set", hosts.bridge, "up");
      for (int i = 0; i < count; i++) {
        String name = PREFIX + PID + "-" + i;
        String hostVeth = "trdh" + id + "x" + i;
        String nsVeth = "trdn" + id + "x" + i;
        String address = "10.216." + subnet + "." + (i + 2);
        ip("netns", "add", name);
        hosts.names.add(name);
        ip("link", "add", hostVeth, "type", "veth", "peer", "name", nsVeth);
        hosts.veths.add(hostVeth);
        ip("link", "set", nsVeth, "netns", name);
        ip("link", "set", hostVeth, "master", hosts.bridge);
        ip("link", "set", hostVeth, "up");
        ip("-n", name, "addr", "add", address + "/24", "dev", nsVeth);
        ip("-n", name, "link", "set", nsVeth, "up");
        ip("-n", name, "link", "set", "lo", "up");
        hosts.addresses.add(address);
      }
      return hosts;
    } catch (IOException | RuntimeException e) {
      hosts.close();
      throw e;
    }
  }

  /** Host i's namespace name. */
  String name(int i) {
    return names.get(i);
  }

  /** Host i's address on the bridge. */
  String address(int i) {
    return addresses.get(i);
  }

  /** A command that runs {@code command} inside host i's namespace. */
  List<String> inside(int i, List<String> command) {
    List<String> full = new ArrayList<>(List.of(IP, "netns", "exec", names.get(i)));
    full.addAll(command);
    return full;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    remove();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs anyway; removing twice is harmless.
    }
  }

  private void remove() {
    for (String name : names) {
      killInside(name);
      quietly("netns", "del", name);
    }
    for (String veth : veths) {
      quietly("link", "del", veth);
    }
    quietly("link", "del", bridge);
  }

  private static void killInside(String namespace) {
    try {
      for (String pid : ip("netns", "pids", namespace).strip().split("\\s+")) {
        if (!pid.isEmpty()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // Gone already.
    }
  }

  /** Removes the namespaces and bridges of test JVMs that are gone. */
  private static void removeOrphans() throws IOException, InterruptedException {
    for (String line : ip("netns", "list").split("\n")) {
      String ns = line.strip().split("\\s+")[0];
      if (!ns.startsWith(PREFIX)) {
        continue;
      }
      long owner;
      try {
        owner = Long.parseLong(ns.substring(PREFIX.length()).split("-")[0]);
      } catch (NumberFormatException e) {
        continue;
      }
      if (owner != PID && ProcessHandle.of(owner).isEmpty()) {
        killInside(ns);
        quietly("netns", "del", ns);
        quietly("link", "del", "trdb" + (owner % 100_000));
      }
    }
  }

  /** Picks K so that no address of this machine is in 10.216.K.0/24. */
  private static int freeSubnet() throws IOException, InterruptedException {
    String in = ip("-o", "-4", "addr", "show");
    for (int i = 0; i < 250; i++) {
      int k = (int) ((PID + i) % 250) + 1;
      if (!in.contains(" 10.216." + k + ".")) {
        return k;
      }
    }
    throw new IOException("no free subnet in 10.216.0.0/16 for test hosts");
  }

  private static void quietly(String... args) {
    try {
      ip(args);
    } catch (IOException | InterruptedException | RuntimeException e) {
      // Already gone.
    }
  }

  static String ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(IP));
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs a command to its end; its output, or an IOException with it if it failed. */
  static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": did not finish");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + ": " + text.strip());
    }
    return text;
  }
}
