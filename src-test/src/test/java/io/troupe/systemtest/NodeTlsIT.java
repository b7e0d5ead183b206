package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artery over TLS with the shipped {@code config/security/tls.conf} and stores made by {@code
 * config/security/gen-dev-certs}: a node with the cluster's certificate joins, a node with another
 * certificate cannot and gives up with one line. Each node runs in a directory of its own (its
 * default H2 ledger there).
 */
final class NodeTlsIT {

  private static final Path TLS_CONF =
      TroupeProcess.ROOT.resolve("config/security/tls.conf").toAbsolutePath().normalize();
  private static final Path GEN =
      TroupeProcess.ROOT.resolve("config/security/gen-dev-certs").toAbsolutePath().normalize();

  @TempDir Path dir;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (Process p : started) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void aNodeWithTheClustersCertificateJoins_oneWithAnotherCannot() throws Exception {
    Map<String, String> cluster = stores("cluster", "cluster-password");
    Map<String, String> stranger = stores("stranger", "stranger-password");
    int seedPort = freePort();
    int seedHttp = freePort();
    String seed = "pekko://troupe@127.0.0.1:" + seedPort;

    start("seed", cluster, seed, seedPort, seedHttp);
    String members = "http://127.0.0.1:" + seedHttp;
    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> upMembers(members) == 1);

    start("friend", cluster, seed, freePort(), freePort());
    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> upMembers(members) == 2);

    Path strangerDir = Files.createDirectories(dir.resolve("stranger-node"));
    TroupeProcess.Result refused =
        TroupeProcess.run(
            strangerDir, stranger, "node", "--config", config("stranger-node", seed, 0, 0, "8s"));

    assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(2);
    assertThat(refused.stderr()).contains("could not join");
    assertThat(upMembers(members)).as("the stranger never became a member").isEqualTo(2);
  }

  /** Makes a key store and trust store with the shipped script; returns the node's environment. */
  private Map<String, String> stores(String name, String password) throws Exception {
    Path out = dir.resolve(name + "-stores");
    // The password goes through the environment: keytool never sees it on a command line.
    ProcessBuilder builder =
        new ProcessBuilder("bash", GEN.toString(), out.toString()).redirectErrorStream(true);
    builder.environment().put("TROUPE_TLS_PASSWORD", password);
    Process gen = builder.start();
    String output = new String(gen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gen.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(gen.exitValue()).as(output).isZero();
    assertThat(output)
        .as("a password from the environment is not printed")
        .doesNotContain(password);
    return Map.of(
        "TROUPE_TLS_KEYSTORE", out.resolve("node-keystore.p12").toString(),
        "TROUPE_TLS_TRUSTSTORE", out.resolve("truststore.p12").toString(),
        "TROUPE_TLS_PASSWORD", password);
  }

  private void start(String name, Map<String, String> env, String seed, int port, int http)
      throws Exception {
    Path nodeDir = Files.createDirectories(dir.resolve(name));
    Path log = nodeDir.resolve("node.log");
    started.add(
        TroupeProcess.start(
            nodeDir,
            List.of(),
            env,
            log,
            log,
            "node",
            "--config",
            config(name, seed, port, http, "60s")));
  }

  /**
   * A node's file; {@code joinLimit} is short for the node that must give up and generous for those
   * that must join (on a loaded machine a TLS handshake and join took 7 s).
   */
  private String config(String name, String seed, int port, int http, String joinLimit)
      throws Exception {
    return Files.writeString(
            dir.resolve(name + ".conf"),
            "include file(\""
                + TLS_CONF
                + "\")\n"
                + "pekko.cluster.seed-nodes = [\""
                + seed
                + "\"]\n"
                + "pekko.remote.artery.canonical.port = "
                + port
                + "\npekko.management.http.port = "
                + http
                + "\npekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = "
                + joinLimit
                + "\n"
                // This test is about Artery; it probes members over plain HTTP on loopback.
                // NodeExposureIT runs the shipped tls.conf's HTTPS.
                + "troupe.http.tls.enabled = off\n")
        .toString();
  }

  private static long upMembers(String http) throws Exception {
    return LocalCluster.members(
        new LocalCluster.Node("probe", http, "pekko://troupe@x:0", null), "Up");
  }

  private static int freePort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}
