package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code troupe node} process and the attacks of issue 16 replayed against it: on loopback
 * its user submits with no flag (the CLI reads the node's token file), while a cross-site {@code
 * text/plain} POST, a foreign {@code Origin}, a rebinding {@code Host} and a POST without the token
 * are refused with one line and start nothing; bound to an address of a network namespace of the
 * test's own (beyond loopback), every read but the health checks needs the token, and the CLI never
 * sends the local token file there. The nodes use the default H2 ledger in their directory.
 */
final class NodeHttpGuardIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String JOB = "{\"pipeline\":\"faulty\",\"args\":[\"--n\",\"5\"]}";

  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Path nodeConfig(Path dir, String host, int port, int http) throws Exception {
    return Files.writeString(
        dir.resolve("node.conf"),
        "pekko.cluster.seed-nodes = [\"pekko://troupe@"
            + host
            + ":"
            + port
            + "\"]\npekko.remote.artery.canonical.hostname = \""
            + host
            + "\"\npekko.remote.artery.canonical.port = "
            + port
            + "\npekko.management.http.hostname = \""
            + host
            + "\"\npekko.management.http.port = "
            + http
            // A test host's address is private and its own: plain text is fine here (refused by
            // default beyond loopback).
            + "\ntroupe.security.allow-plaintext = on"
            + "\npekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = 60s\n");
  }

  private static HttpResponse<String> request(
      String url, String method, String body, String type, String origin, String token)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String error(HttpResponse<String> r) throws Exception {
    assertThat(r.body()).doesNotContain("\n");
    return JSON.readTree(r.body()).path("error").asText();
  }

  private static List<String> jobs(String base, String token) throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode j :
        JSON.readTree(request(base + "/api/jobs", "GET", null, null, null, token).body())
            .path("jobs")) {
      ids.add(j.path("job").asText());
    }
    return ids;
  }

  private static void awaitReady(String base, Process node, Path log) {
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              if (!node.isAlive()) {
                throw new AssertionError("the node stopped: " + Files.readString(log));
              }
              return request(base + "/ready", "GET", null, null, null, null).statusCode() == 200;
            });
  }

  private static void stop(Process node) throws Exception {
    node.destroy();
    if (!node.waitFor(60, TimeUnit.SECONDS)) {
      node.destroyForcibly();
    }
  }

  @Test
  void onLoopback_theLocalUserNeedsNoFlag_andCrossSiteRequestsAreRefused() throws Exception {
    Path home = Files.createDirectories(dir.resolve("node"));
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    int http = freePort();
    String base = "http://127.0.0.1:" + http;
    Path log = home.resolve("node.log");
    Process node =
        TroupeProcess.start(
            home,
            List.of(),
            Map.of(),
            log,
            log,
            "node",
            "--config",
            nodeConfig(home, "127.0.0.1", freePort(), http).toString());
    try {
      awaitReady(base, node, log);
      Path file = home.resolve("data/http-token");
      assertThat(Files.getPosixFilePermissions(file))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      String token = Files.readString(file).strip();
      assertThat(Files.readString(log))
          .contains("Generated the HTTP endpoint's bearer token into " + file.toRealPath())
          .doesNotContain(token);

      // Its user, in the node's directory: no flag.
      TroupeProcess.Result mine =
          TroupeProcess.run(home, "submit", "faulty", "--n", "5", "--node", base, "--wait");
      assertThat(mine.exitCode()).as(mine.stderr()).isZero();
      assertThat(mine.stderr()).doesNotContain("warning");

      // Elsewhere: reads are open on loopback, a submission needs the token.
      TroupeProcess.Result status = TroupeProcess.run(elsewhere, "status", "--node", base);
      assertThat(status.exitCode()).as(status.stderr()).isZero();
      TroupeProcess.Result refused =
          TroupeProcess.run(elsewhere, "submit", "faulty", "--n", "5", "--node", base);
      assertThat(refused.exitCode()).isEqualTo(2);
      assertThat(refused.stderr().strip().lines().toList())
          .as(refused.stderr())
          .singleElement()
          .asString()
          .contains("(401)")
          .contains("TROUPE_HTTP_TOKEN=... or --token-file FILE");
      TroupeProcess.Result withFile =
          TroupeProcess.run(
              elsewhere,
              "submit",
              "faulty",
              "--n",
              "5",
              "--node",
              base,
              "--token-file",
              file.toString());
      assertThat(withFile.exitCode()).as(withFile.stderr()).isZero();
      TroupeProcess.Result withEnv =
          TroupeProcess.run(
              elsewhere,
              Map.of("TROUPE_HTTP_TOKEN", token),
              "submit",
              "faulty",
              "--n",
              "5",
              "--node",
              base);
      assertThat(withEnv.exitCode()).as(withEnv.stderr()).isZero();
      TroupeProcess.Result withFlag =
          TroupeProcess.run(
              elsewhere, "submit", "faulty", "--n", "5", "--node", base, "--token", token);
      assertThat(withFlag.exitCode()).as(withFlag.stderr()).isZero();
      assertThat(withFlag.stderr()).contains("warning: --token shows in the process list (ps)");
      List<String> submitted = new ArrayList<>();
      for (TroupeProcess.Result r : List.of(withFile, withEnv, withFlag)) {
        submitted.add(r.stdout().strip());
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> jobs(base, null).containsAll(submitted));
      int before = jobs(base, null).size();

      // What a web page can do: a "simple" cross-site POST, with and without a token it cannot
      // know; a rebinding page reading and posting under its own name.
      HttpResponse<String> simple =
          request(base + "/api/jobs", "POST", JOB, "text/plain", "http://evil.example", null);
      assertThat(simple.statusCode()).isEqualTo(403);
      assertThat(error(simple)).contains("Origin 'http://evil.example'");
      assertThat(
              request(
                      base + "/api/jobs",
                      "POST",
                      JOB,
                      "application/json",
                      "http://evil.example",
                      token)
                  .statusCode())
          .isEqualTo(403);
      HttpResponse<String> plain =
          request(base + "/api/jobs", "POST", JOB, "text/plain", null, token);
      assertThat(plain.statusCode()).isEqualTo(415);
      assertThat(error(plain)).contains("Content-Type: application/json");
      HttpResponse<String> anonymous =
          request(base + "/api/jobs", "POST", JOB, "application/json", null, null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(error(anonymous)).contains("Authorization: Bearer");
      assertThat(
              rawStatus(
                  http,
                  "GET /api/jobs HTTP/1.1\r\nHost: attacker.example:"
                      + http
                      + "\r\nConnection: close\r\n\r\n"))
          .isEqualTo("421");
      assertThat(
              rawStatus(
                  http,
                  "POST /api/jobs HTTP/1.1\r\nHost: attacker.example:"
                      + http
                      + "\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                      + token
                      + "\r\nContent-Length: "
                      + JOB.length()
                      + "\r\nConnection: close\r\n\r\n"
                      + JOB))
          .isEqualTo("421");

      // Nothing of that started a job: one more legitimate job is the only new one.
      HttpResponse<String> last =
          request(base + "/api/jobs", "POST", JOB, "application/json", base, token);
      assertThat(last.statusCode()).as(last.body()).isEqualTo(202);
      String lastJob = JSON.readTree(last.body()).path("job").asText();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> jobs(base, null).contains(lastJob));
      assertThat(jobs(base, null)).hasSize(before + 1);
    } finally {
      stop(node);
    }
  }

  /** Sends a request as written (a browser fooled by DNS rebinding sends its own Host). */
  private static String rawStatus(int port, String request) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4);
    }
  }

  @Test
  void beyondLoopback_everyReadButHealthNeedsTheToken_andTheCliSendsNoLocalFile() throws Exception {
    NetNamespace.assumeAvailable();
    Path home = Files.createDirectories(dir.resolve("exposed"));
    try (NetNamespace ns = NetNamespace.create()) {
      int http = 18551;
      String base = "http://" + ns.address() + ":" + http;
      Path log = home.resolve("node.log");
      List<String> command =
          TroupeProcess.command(
              List.of(),
              "node",
              "--config",
              nodeConfig(home, ns.address(), 25520, http).toString());
      Process node =
          ns.process(command.toArray(String[]::new))
              .directory(home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        awaitReady(base, node, log);
        String token = Files.readString(home.resolve("data/http-token")).strip();
        HttpResponse<String> accepted =
            request(base + "/api/jobs", "POST", JOB, "application/json", null, token);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String job = JSON.readTree(accepted.body()).path("job").asText();

        for (String path :
            List.of(
                "/api/jobs/" + job,
                "/api/jobs",
                "/api/cluster",
                "/api/pipelines",
                "/metrics",
                "/cluster/members")) {
          HttpResponse<String> anonymous = request(base + path, "GET", null, null, null, null);
          assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
          assertThat(error(anonymous)).as(path).contains("Authorization: Bearer");
          assertThat(request(base + path, "GET", null, null, null, token).statusCode())
              .as(path)
              .isEqualTo(200);
        }
        assertThat(request(base + "/alive", "GET", null, null, null, null).statusCode())
            .isEqualTo(200);
        assertThat(request(base + "/", "GET", null, null, null, null).statusCode()).isEqualTo(200);

        // The CLI in the node's directory does not send that directory's token file to a node it
        // does not find on this machine; given on purpose, the token works.
        TroupeProcess.Result guessed = TroupeProcess.run(home, "status", job, "--node", base);
        assertThat(guessed.exitCode()).isEqualTo(2);
        assertThat(guessed.stderr()).contains("(401)").contains("not on this machine");
        TroupeProcess.Result given =
            TroupeProcess.run(
                home,
                "status",
                job,
                "--node",
                base,
                "--token-file",
                home.resolve("data/http-token").toString());
        assertThat(given.exitCode()).as(given.stderr()).isZero();
        assertThat(given.stdout()).contains(job);
      } finally {
        stop(node);
      }
    }
  }
}
