package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node exposed beyond loopback: a {@code troupe node} inside a network namespace of the test's
 * own, Artery and HTTP bound to the namespace's address, seeding itself with its default H2 ledger
 * in a directory of its own. In plain text it refuses to start with one line naming the fix; with
 * the shipped {@code tls.conf} (Artery TLS and HTTPS) it starts and {@code bin/troupe submit --node
 * https://…} from this machine runs a job, verifying the node's certificate; with {@code
 * troupe.security.allow-plaintext} it starts in plain text.
 */
final class NodeExposureIT {

  private static final Path TLS_CONF =
      TroupeProcess.ROOT.resolve("config/security/tls.conf").toAbsolutePath().normalize();
  private static final Path GEN =
      TroupeProcess.ROOT.resolve("config/security/gen-dev-certs").toAbsolutePath().normalize();
  private static final Path TROUPE =
      TroupeProcess.ROOT.resolve("bin/troupe").toAbsolutePath().normalize();
  private static final String PASSWORD = "exposure-test-password";
  private static final String TOKEN = "exposure-test-token-0123456789";
  private static final int ARTERY_PORT = 2551;
  private static final int HTTP_PORT = 8551;
  private static final Duration JOIN_LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private NetNamespace ns;
  private final List<Process> started = new ArrayList<>();

  @BeforeEach
  void namespace() throws Exception {
    NetNamespace.assumeAvailable();
    ns = NetNamespace.create();
  }

  @AfterEach
  void cleanUp() throws Exception {
    try {
      for (Process p : started) {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    } finally {
      if (ns != null) {
        ns.close();
      }
    }
  }

  @Test
  void inPlainText_theNodeRefusesToStart_withOneLineNamingTheFix() throws Exception {
    Path nodeDir = Files.createDirectories(dir.resolve("plain"));
    Process node = startNode(nodeDir, "", Map.of("TROUPE_HTTP_TOKEN", TOKEN));

    assertThat(node.waitFor(JOIN_LIMIT.toSeconds(), TimeUnit.SECONDS))
        .as("it exits at once, not after the join limit")
        .isTrue();
    String stderr = Files.readString(nodeDir.resolve("stderr.txt"), StandardCharsets.UTF_8);
    assertThat(node.exitValue()).as(stderr).isEqualTo(2);
    assertThat(stderr.strip())
        .isEqualTo(
            "troupe: Artery and the HTTP endpoint bind "
                + ns.address()
                + " in plain text; include config/security/tls.conf (or set"
                + " troupe.security.allow-plaintext = on for a trusted network)");
    assertThat(Files.exists(nodeDir.resolve("data")))
        .as("no ledger was created: it stopped before anything started")
        .isFalse();
    assertNothingListens(ARTERY_PORT);
    assertNothingListens(HTTP_PORT);
  }

  @Test
  void withTlsConf_theNodeServesHttps_andSubmitWithTheTrustStoreRunsAJob() throws Exception {
    Path stores = dir.resolve("stores");
    ProcessBuilder gen =
        new ProcessBuilder("bash", GEN.toString(), stores.toString(), "--san", "ip:" + ns.address())
            .redirectErrorStream(true);
    gen.environment().put("TROUPE_TLS_PASSWORD", PASSWORD);
    Process made = gen.start();
    String genOutput = new String(made.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(made.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(made.exitValue()).as(genOutput).isZero();
    Map<String, String> tls =
        Map.of(
            "TROUPE_TLS_KEYSTORE",
            stores.resolve("node-keystore.p12").toString(),
            "TROUPE_TLS_TRUSTSTORE",
            stores.resolve("truststore.p12").toString(),
            "TROUPE_TLS_PASSWORD",
            PASSWORD,
            "TROUPE_HTTP_TOKEN",
            TOKEN);

    Path nodeDir = Files.createDirectories(dir.resolve("tls"));
    Process node = startNode(nodeDir, "include file(\"" + TLS_CONF + "\")\n", tls);
    String https = "https://" + ns.address() + ":" + HTTP_PORT;
    awaitUp(node, nodeDir, "HTTP on " + https + " ");

    Map<String, String> cli = new HashMap<>(tls);
    cli.remove("TROUPE_TLS_KEYSTORE");
    Shell.Result submitted =
        Shell.run(
            dir,
            cli,
            Duration.ofMinutes(3),
            TROUPE.toString(),
            "submit",
            "primes",
            "--limit",
            "100000",
            "--node",
            https,
            "--wait",
            "--format",
            "json");
    assertThat(submitted.exitCode()).as(submitted.describe()).isZero();
    JsonNode result = new ObjectMapper().readTree(submitted.stdout()).get("result");
    assertThat(result.get("count").asLong()).as(submitted.describe()).isEqualTo(9592);
    assertThat(result.get("largest").asLong()).isEqualTo(99991);

    // Without the trust store the CLI cannot verify the node: one line, exit 2.
    Shell.Result untrusted =
        Shell.run(
            dir,
            Map.of("TROUPE_HTTP_TOKEN", TOKEN),
            Duration.ofMinutes(2),
            TROUPE.toString(),
            "status",
            "--node",
            https);
    assertThat(untrusted.exitCode()).as(untrusted.describe()).isEqualTo(2);
    assertThat(untrusted.stderr())
        .as(untrusted.describe())
        .startsWith("troupe: cannot verify the node's certificate at " + https + ": ")
        .contains("set TROUPE_TLS_TRUSTSTORE");

    // Plain HTTP to the HTTPS port gets no answer.
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    assertThatThrownBy(
            () ->
                plain.send(
                    HttpRequest.newBuilder(
                            URI.create("http://" + ns.address() + ":" + HTTP_PORT + "/ready"))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void withAllowPlaintext_theNodeStartsInPlainText() throws Exception {
    Path nodeDir = Files.createDirectories(dir.resolve("allowed"));
    Process node =
        startNode(nodeDir, "", Map.of("TROUPE_HTTP_TOKEN", TOKEN, "TROUPE_ALLOW_PLAINTEXT", "on"));
    String http = "http://" + ns.address() + ":" + HTTP_PORT;
    awaitUp(node, nodeDir, "HTTP on " + http + " ");

    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(
            () ->
                client
                        .send(
                            HttpRequest.newBuilder(URI.create(http + "/ready")).build(),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                    == 200);
  }

  /** Starts {@code troupe node} inside the namespace, bound to its address, seeding itself. */
  private Process startNode(Path nodeDir, String include, Map<String, String> env)
      throws IOException {
    String address = ns.address();
    Path config =
        Files.writeString(
            nodeDir.resolve("node.conf"),
            include
                + "pekko.cluster.seed-nodes = [\"pekko://troupe@"
                + address
                + ":"
                + ARTERY_PORT
                + "\"]\n"
                + "pekko.remote.artery.canonical.hostname = \""
                + address
                + "\"\npekko.remote.artery.canonical.port = "
                + ARTERY_PORT
                + "\npekko.management.http.hostname = \""
                + address
                + "\"\npekko.management.http.port = "
                + HTTP_PORT
                + "\npekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = "
                + JOIN_LIMIT.toSeconds()
                + "s\n");
    List<String> command = TroupeProcess.command(List.of(), "node", "--config", config.toString());
    ProcessBuilder builder =
        ns.process(command.toArray(String[]::new))
            .directory(nodeDir.toFile())
            .redirectOutput(nodeDir.resolve("stdout.txt").toFile())
            .redirectError(nodeDir.resolve("stderr.txt").toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    started.add(p);
    return p;
  }

  /** Waits for the node's "is Up" line, which names the URL it serves. */
  private static void awaitUp(Process node, Path nodeDir, String serving) {
    Path stderr = nodeDir.resolve("stderr.txt");
    Awaitility.await()
        .atMost(JOIN_LIMIT.plusSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              String text = Files.readString(stderr, StandardCharsets.UTF_8);
              if (!node.isAlive()) {
                throw new AssertionError(
                    "the node exited with "
                        + node.exitValue()
                        + ":\n"
                        + text
                        + "\n--- stdout\n"
                        + Files.readString(nodeDir.resolve("stdout.txt")));
              }
              return text.contains(" is Up (") && text.contains(serving);
            });
  }

  private void assertNothingListens(int port) {
    assertThatThrownBy(
            () -> {
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ns.address(), port), 10_000);
              }
            })
        .as("nothing listens on %s:%d", ns.address(), port)
        .isInstanceOf(ConnectException.class);
  }
}
