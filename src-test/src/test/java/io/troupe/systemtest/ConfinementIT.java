package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of a job submitter on the node that runs the job, replayed against one real node
 * process with the default confinement ({@code data/input} and {@code data/output} in its
 * directory, no address allowed beyond public ones), through {@code troupe submit}: reading a file
 * outside the roots directly or through a symbolic link, writing a PNG outside them, crawling a
 * loopback port and a private address of a network namespace this test made. Each is refused with
 * one line and exit code 2, without echoing the path, and nothing is written or fetched; what lies
 * inside the roots still works. {@code troupe run} refuses the private address too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class ConfinementIT {

  private static final String OUTSIDE_INPUT =
      "troupe: the node refused the job: wordcount: --input: not under an input root of this node"
          + " (troupe.pipelines.input-roots or TROUPE_INPUT_ROOTS)";

  private Path dir;
  private Path nodeDir;
  private Path input;
  private Path output;
  private String http;
  private Process node;

  @BeforeAll
  void startNode(@TempDir Path tmp) throws Exception {
    dir = tmp;
    nodeDir = Files.createDirectories(dir.resolve("node"));
    input = Files.createDirectories(nodeDir.resolve("data/input"));
    output = nodeDir.resolve("data/output"); // mandelbrot's default output creates it
    int port = freePort();
    int httpPort = freePort();
    Path config =
        Files.writeString(
            dir.resolve("node.conf"),
            "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:"
                + port
                + "\"]\npekko.remote.artery.canonical.port = "
                + port
                + "\npekko.management.http.port = "
                + httpPort
                + "\npekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = 30s"
                + "\ntroupe.pipelines.enabled = [\"wordcount\", \"mandelbrot\", \"crawl\"]\n");
    Path log = nodeDir.resolve("node.log");
    node =
        TroupeProcess.start(
            nodeDir, List.of(), Map.of(), log, log, "node", "--config", config.toString());
    http = "http://127.0.0.1:" + httpPort;
    try {
      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .ignoreExceptions()
          .until(() -> node.isAlive() && LocalCluster.get(http + "/ready").status() == 200);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "the node did not become ready; its log:\n" + Files.readString(log), e);
    }
  }

  @AfterAll
  void stopNode() throws Exception {
    if (node != null) {
      node.destroy();
      if (!node.waitFor(30, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    }
  }

  /** Runs {@code troupe submit ARGS --node URL} in the node's directory. */
  private TroupeProcess.Result submit(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("submit"));
    all.addAll(List.of(args));
    all.addAll(List.of("--node", http));
    return TroupeProcess.run(nodeDir, all.toArray(String[]::new));
  }

  private static void assertRefused(TroupeProcess.Result r, String line) {
    assertThat(r.exitCode()).as("exit code; stderr: %s", r.stderr()).isEqualTo(2);
    assertThat(r.stderr().strip()).as(r.stderr()).isEqualTo(line);
  }

  @Test
  void wordcount_ofAFileOutsideTheInputRoots_isRefusedWithoutSayingWhetherItExists()
      throws Exception {
    String hostname = Files.readString(Path.of("/etc/hostname")).strip();

    TroupeProcess.Result existing = submit("wordcount", "--input", "/etc/hostname");
    TroupeProcess.Result missing = submit("wordcount", "--input", "/etc/no-such-file-here");

    assertRefused(existing, OUTSIDE_INPUT);
    assertRefused(missing, OUTSIDE_INPUT);
    assertThat(existing.stderr() + existing.stdout()).doesNotContain("/etc");
    if (hostname.length() > 3) {
      assertThat(existing.stderr() + existing.stdout()).doesNotContain(hostname);
    }
  }

  @Test
  void wordcount_throughASymlinkOutOfTheRoot_isRefused_whileFilesInsideAreCounted()
      throws Exception {
    Files.createSymbolicLink(input.resolve("hostname"), Path.of("/etc/hostname"));
    Files.createSymbolicLink(input.resolve("etc"), Path.of("/etc"));
    Files.createSymbolicLink(input.resolve("ledger.mv.db"), nodeDir.resolve("data/troupe.mv.db"));
    Path own = Files.writeString(input.resolve("words.txt"), "troupe counts troupe words");

    for (String path :
        List.of(
            input.resolve("hostname").toString(),
            input.resolve("etc/hostname").toString(),
            input.resolve("ledger.mv.db").toString(),
            input.resolve("../troupe.mv.db").toString(),
            nodeDir.resolve("data").toString())) {
      assertRefused(submit("wordcount", "--input", path), OUTSIDE_INPUT);
    }

    // The directory holds links out of it: they are skipped, so only words.txt is counted.
    TroupeProcess.Result inside =
        submit("wordcount", "--input", input.toString(), "--wait", "--format", "json");
    assertThat(inside.exitCode()).as(inside.stderr()).isZero();
    JsonNode result = inside.json().get("result");
    assertThat(result.toString()).contains("\"troupe\"").doesNotContain("localhost");
    assertThat(result.path("totalWords").asLong()).as(result.toString()).isEqualTo(4);
    assertThat(own).exists();
  }

  @Test
  void mandelbrot_outsideTheOutputRoots_isRefusedAndWritesNothing_itsDefaultGoesToTheRoot()
      throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path evil = outside.resolve("evil.png");

    TroupeProcess.Result r =
        submit("mandelbrot", "--width", "16", "--height", "16", "--out", evil.toString());

    assertRefused(
        r,
        "troupe: the node refused the job: mandelbrot: --out: not under an output root of this"
            + " node (troupe.pipelines.output-roots or TROUPE_OUTPUT_ROOTS)");
    assertThat(evil).doesNotExist();
    try (var files = Files.list(outside)) {
      assertThat(files).isEmpty();
    }

    TroupeProcess.Result fine =
        submit("mandelbrot", "--width", "16", "--height", "16", "--wait", "--format", "json");
    assertThat(fine.exitCode()).as(fine.stderr()).isZero();
    assertThat(output.resolve("mandelbrot.png")).isRegularFile();
  }

  @Test
  void crawl_ofALoopbackPort_isRefused() throws Exception {
    TroupeProcess.Result r = submit("crawl", "--url", "http://127.0.0.1:5432/");

    assertRefused(
        r,
        "troupe: the node refused the job: crawl: --url: 127.0.0.1 is a loopback address, which"
            + " this node connects to only if troupe.pipelines.allow-addresses lists it");
  }

  @Test
  void crawl_ofAPrivateAddress_isRefusedBySubmitAndRun_andTheServerSeesNoRequest()
      throws Exception {
    try (NetNamespace ns = NetNamespace.create()) {
      Path serverLog = dir.resolve("namespace-server.log");
      Path served = Files.createDirectories(dir.resolve("served"));
      Files.writeString(served.resolve("index.html"), "<a href=\"/secret.html\">secret</a>");
      ns.process("python3", "-m", "http.server", "18080", "--bind", ns.address())
          .directory(served.toFile())
          .redirectErrorStream(true)
          .redirectOutput(serverLog.toFile())
          .start();
      String url = "http://" + ns.address() + ":18080/";
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> probe(ns.address(), 18080));
      String refused =
          "crawl: --url: "
              + ns.address()
              + " is a private address, which this node connects to only if"
              + " troupe.pipelines.allow-addresses lists it";

      TroupeProcess.Result submitted = submit("crawl", "--url", url);
      Path runDir = Files.createDirectories(dir.resolve("run"));
      TroupeProcess.Result run = TroupeProcess.run(runDir, "run", "crawl", "--url", url);
      TroupeProcess.Result sequential =
          TroupeProcess.run(runDir, "run", "crawl", "--url", url, "--sequential");

      assertRefused(submitted, "troupe: the node refused the job: " + refused);
      assertRefused(run, "troupe: " + refused);
      assertRefused(sequential, "troupe: " + refused);
      List<String> requests =
          Files.readAllLines(serverLog).stream().filter(l -> l.contains("\"GET ")).toList();
      assertThat(requests).as("only the test's own probe reached the server").isNotEmpty();
      assertThat(requests).allMatch(l -> l.contains("GET /probe "));
    }
  }

  @Test
  void aPipelineTheNodeDoesNotEnable_isRefused() throws Exception {
    TroupeProcess.Result r = submit("primes", "--limit", "1000");

    assertRefused(
        r,
        "troupe: the node refused the job: pipeline primes is not enabled on this node"
            + " (troupe.pipelines.enabled)");
  }

  /** Asks the namespace's server for the probe's own path; true once it answers. */
  private static boolean probe(String host, int port) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      s.getOutputStream().write("GET /probe HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      return new String(in.readNBytes(9), StandardCharsets.US_ASCII).startsWith("HTTP/1.0 ");
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}
