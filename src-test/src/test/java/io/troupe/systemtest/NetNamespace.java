package io.troupe.systemtest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;

/**
 * A test host of the test's own: a network namespace joined to this machine by a veth pair on a
 * private /30 ({@code 10.213.K.0/30}; this machine's side is {@code .1}, the namespace's {@code
 * .2}), so a process run inside has an address that is neither loopback nor anyone else's. Only
 * this namespace's and this veth's addresses are ever a target.
 *
 * <p>Needs root and iproute2's {@code ip}; without them the calling test is skipped, unless {@code
 * TROUPE_REQUIRE_NETNS=1} (as CI sets), in which case it fails. {@link #close} kills what runs
 * inside and removes the namespace and the veth pair; a JVM that exits without closing removes them
 * in a shutdown hook, and namespaces left by a test JVM that was killed are removed by the next
 * {@link #create}.
 */
final class NetNamespace implements AutoCloseable {

  private static final String PREFIX = "troupe-test-";
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final long PID = ProcessHandle.current().pid();

  private final String name;
  private final String hostVeth;
  private final String hostAddress;
  private final String address;
  private final Thread cleanup;
  private boolean closed;

  private NetNamespace(String name, String hostVeth, String hostAddress, String address) {
    this.name = name;
    this.hostVeth = hostVeth;
    this.hostAddress = hostAddress;
    this.address = address;
    this.cleanup = new Thread(this::remove, "remove " + name);
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  /** Skips the calling test unless namespaces can be made here; fails instead when required. */
  static void assumeAvailable() {
    String missing = null;
    if (!"root".equals(System.getProperty("user.name"))) {
      missing = "network namespaces need root";
    } else if (!Files.isExecutable(Path.of("/usr/sbin/ip"))
        && !Files.isExecutable(Path.of("/sbin/ip"))) {
      missing = "iproute2's ip is not installed";
    }
    if (missing != null && "1".equals(System.getenv("TROUPE_REQUIRE_NETNS"))) {
      Assertions.fail(missing + " (TROUPE_REQUIRE_NETNS=1, so this is a failure, not a skip)");
    }
    assumeTrue(missing == null, missing);
  }

  /**
   * Makes a namespace with its own address.
   *
   * @return the namespace, up, with loopback and its veth end configured
   * @throws IOException if {@code ip} refuses (what it printed is in the message)
   */
  static NetNamespace create() throws IOException, InterruptedException {
    assumeAvailable();
    removeOrphans();
    int n = COUNT.incrementAndGet();
    String name = PREFIX + PID + "-" + n;
    // Interface names have at most 15 characters.
    String id = Long.toString(PID % 100_000) + "x" + n;
    String hostVeth = "trh" + id;
    String nsVeth = "trn" + id;
    int subnet = freeSubnet();
    String hostAddress = "10.213." + subnet + ".1";
    String address = "10.213." + subnet + ".2";
    ip("netns", "add", name);
    NetNamespace made = new NetNamespace(name, hostVeth, hostAddress, address);
    try {
      ip("link", "add", hostVeth, "type", "veth", "peer", "name", nsVeth);
      ip("link", "set", nsVeth, "netns", name);
      ip("addr", "add", hostAddress + "/30", "dev", hostVeth);
      ip("link", "set", hostVeth, "up");
      ip("-n", name, "addr", "add", address + "/30", "dev", nsVeth);
      ip("-n", name, "link", "set", nsVeth, "up");
      ip("-n", name, "link", "set", "lo", "up");
      return made;
    } catch (IOException | RuntimeException e) {
      made.close();
      throw e;
    }
  }

  /** Returns the namespace's name. */
  String name() {
    return name;
  }

  /** Returns the namespace's own address (its end of the veth pair). */
  String address() {
    return address;
  }

  /** Returns this machine's address on the veth pair, which the namespace reaches. */
  String hostAddress() {
    return hostAddress;
  }

  /**
   * Returns a process builder that runs a command inside the namespace.
   *
   * @param command the command and its arguments
   * @return the builder ({@code ip netns exec NAME command...})
   */
  ProcessBuilder process(String... command) {
    List<String> full = new ArrayList<>(List.of(ipBinary(), "netns", "exec", name));
    full.addAll(List.of(command));
    return new ProcessBuilder(full);
  }

  /** Kills what runs inside, removes the namespace and the veth pair; idempotent. */
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
      // The hook runs anyway, and removing twice is harmless.
    }
  }

  private void remove() {
    try {
      killInside(name);
      quietly("link", "del", hostVeth);
      quietly("netns", "del", name);
    } catch (Exception e) {
      System.err.println("NetNamespace: could not remove " + name + ": " + e);
    }
  }

  private static void killInside(String namespace) throws IOException, InterruptedException {
    String pids = ip("netns", "pids", namespace).strip();
    for (String pid : pids.split("\\s+")) {
      if (!pid.isEmpty()) {
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  /** Removes namespaces of test JVMs that are gone (killed before they could clean up). */
  private static void removeOrphans() throws IOException, InterruptedException {
    for (String line : ip("netns", "list").split("\n")) {
      String ns = line.strip().split("\\s+")[0];
      if (!ns.startsWith(PREFIX)) {
        continue;
      }
      String[] parts = ns.substring(PREFIX.length()).split("-");
      long owner;
      try {
        owner = Long.parseLong(parts[0]);
      } catch (NumberFormatException e) {
        continue;
      }
      if (owner != PID && ProcessHandle.of(owner).isEmpty()) {
        killInside(ns);
        quietly("netns", "del", ns);
      }
    }
  }

  /** Picks K so that no address of this machine is in 10.213.K.0/24. */
  private static int freeSubnet() throws IOException, InterruptedException {
    String addresses = ip("-o", "-4", "addr", "show");
    int start = (int) ((PID * 7 + COUNT.get() * 13) % 250) + 1;
    for (int i = 0; i < 250; i++) {
      int k = (start + i) % 250 + 1;
      if (!addresses.contains(" 10.213." + k + ".")) {
        return k;
      }
    }
    throw new IOException("no free subnet in 10.213.0.0/16 for a test namespace");
  }

  private static String ipBinary() {
    return Files.isExecutable(Path.of("/usr/sbin/ip")) ? "/usr/sbin/ip" : "/sbin/ip";
  }

  private static void quietly(String... args) {
    try {
      ip(args);
    } catch (IOException | InterruptedException | RuntimeException e) {
      // Already gone.
    }
  }

  private static String ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ipBinary()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
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
