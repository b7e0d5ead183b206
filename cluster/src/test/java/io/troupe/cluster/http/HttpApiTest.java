package io.troupe.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.TestNodes;
import java.net.InetAddress;
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
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's HTTP API in process: the bearer token on mutating routes (loopback too), read-only
 * routes open on loopback, a node whose reads need the token, the request guard against cross-site
 * requests and DNS rebinding ({@code Host}, {@code Origin}, content type), and a fuzz of a few
 * thousand random and mutated requests at {@code POST /api/jobs} (bodies, content types, origins
 * and tokens) that must only ever get the documented answer, never a 5xx, and leave the node
 * working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the fuzz's many jobs last
final class HttpApiTest {

  private static final String TOKEN = "test-token-0123456789";
  private static final String METRICS_TOKEN = "scrape-token-9876543210";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dir;

  private TroupeNode node;
  private String base;
  private int port;

  /**
   * A second node, without a configured token, whose reads need it; /metrics takes a scrape token.
   */
  private TroupeNode guarded;

  private String guardedBase;

  @BeforeAll
  void start() throws Exception {
    node =
        TestNodes.startUp(
            "http-api-test",
            TestNodes.h2Ledger(dir.resolve("ledger"))
                + TestNodes.HTTP_ON_FREE_PORT
                + "troupe.jobs.workers-per-node = 2\n"
                + "troupe.http.token = \""
                + TOKEN
                + "\"");
    guarded =
        TestNodes.startUp(
            "http-api-reads-test",
            TestNodes.h2Ledger(dir.resolve("ledger-reads"))
                + TestNodes.HTTP_ON_FREE_PORT
                + "troupe.jobs.workers-per-node = 1\n"
                + "troupe.http.authenticate-reads = on\n"
                + "troupe.http.metrics-token = \""
                + METRICS_TOKEN
                + "\"\ntroupe.http.token-file = \""
                + dir.resolve("reads/http-token")
                + "\"");
    port = TestNodes.serveHttp(node);
    base = "http://127.0.0.1:" + port;
    guardedBase = "http://127.0.0.1:" + TestNodes.serveHttp(guarded);
  }

  @AfterAll
  void stop() {
    TestNodes.close(node, guarded);
  }

  private HttpResponse<String> post(String path, byte[] body, String token) throws Exception {
    return post(base + path, body, token, "application/json", null);
  }

  private static HttpResponse<String> post(
      String url, byte[] body, String token, String contentType, String origin) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (origin != null) {
      request.header("Origin", origin);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> delete(
      String url, String token, String contentType, String origin) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).DELETE();
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (origin != null) {
      request.header("Origin", origin);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String submit(String body) throws Exception {
    HttpResponse<String> accepted = post("/api/jobs", utf8(body), TOKEN);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return JSON.readTree(accepted.body()).path("job").asText();
  }

  private String state(String id) throws Exception {
    return JSON.readTree(get("/api/jobs/" + id).body()).path("status").asText();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return getUrl(base + path, null);
  }

  private static HttpResponse<String> getUrl(String url, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Sends a request as written, over a plain socket to this machine: {@link HttpClient} will not
   * send a {@code Host} header of the caller's choosing, and a browser fooled by DNS rebinding
   * does. Returns the status code and the body.
   */
  private static String[] raw(int port, String request) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int space = answer.indexOf(' ');
      return new String[] {
        answer.substring(space + 1, space + 4), answer.substring(answer.indexOf("\r\n\r\n") + 4)
      };
    }
  }

  private static String rawGet(String path, String host) {
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
  }

  private static String rawPost(String host, String body, String token) {
    return "POST /api/jobs HTTP/1.1\r\nHost: "
        + host
        + "\r\nContent-Type: application/json\r\nAuthorization: Bearer "
        + token
        + "\r\nContent-Length: "
        + utf8(body).length
        + "\r\nConnection: close\r\n\r\n"
        + body;
  }

  private List<String> listedJobs() throws Exception {
    List<String> jobs = new ArrayList<>();
    for (JsonNode j : JSON.readTree(get("/api/jobs").body()).path("jobs")) {
      jobs.add(j.path("job").asText());
    }
    return jobs;
  }

  /** Waits until a job is listed; returns the jobs listed then that were not listed before. */
  private List<String> startedSince(List<String> before, String job) throws Exception {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> listedJobs().contains(job));
    List<String> started = listedJobs();
    started.removeAll(before);
    return started;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @Order(3)
  void mutatingRoutes_needTheTokenOnLoopbackToo_readOnlyRoutesStayOpenOnLoopback()
      throws Exception {
    byte[] job = utf8("{\"pipeline\":\"sum\",\"args\":[\"--n\",\"5\"]}");

    HttpResponse<String> none = post("/api/jobs", job, null);
    HttpResponse<String> wrong = post("/api/jobs", job, "not-the-token");
    HttpResponse<String> right = post("/api/jobs", job, TOKEN);

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    assertThat(JSON.readTree(none.body()).path("error").asText()).contains("Authorization: Bearer");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(wrong.body()).path("error").asText()).startsWith("wrong token");
    assertThat(right.statusCode()).as(right.body()).isEqualTo(202);
    String id = JSON.readTree(right.body()).path("job").asText();
    for (String path :
        List.of(
            "/api/jobs",
            "/api/jobs/" + id,
            "/api/cluster",
            "/api/pipelines",
            "/metrics",
            "/",
            "/cluster/members",
            "/alive")) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  @Order(4)
  void everyAnswer_carriesTheSecurityHeaders_andThePageNeedsNoInlineCode() throws Exception {
    for (String path : List.of("/", "/assets/dashboard.js", "/api/jobs", "/nowhere")) {
      HttpResponse<String> r = get(path);
      assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
          .as(path)
          .contains("default-src 'self'")
          .contains("frame-ancestors 'none'")
          .doesNotContain("unsafe-inline");
      assertThat(r.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
      assertThat(r.headers().firstValue("Referrer-Policy")).as(path).contains("no-referrer");
    }
    String script = "<script src=\"/assets/dashboard.js\"></script>";
    String page = get("/").body();
    assertThat(page).contains(script);
    assertThat(page.replace(script, ""))
        .doesNotContain("<script")
        .doesNotContain("style=")
        .doesNotContain("<style");
  }

  @Test
  @Order(1)
  void crossSitePosts_areRefused_andStartNothing() throws Exception {
    byte[] job = utf8("{\"pipeline\":\"sum\",\"args\":[\"--n\",\"7\"]}");
    String jobs = base + "/api/jobs";
    List<String> before = listedJobs();

    // What any web page can send without a preflight: a "simple" text/plain or form POST.
    HttpResponse<String> plain = post(jobs, job, null, "text/plain", "http://evil.example");
    HttpResponse<String> plainOwnOrigin = post(jobs, job, TOKEN, "text/plain", base);
    HttpResponse<String> form = post(jobs, job, TOKEN, "application/x-www-form-urlencoded", null);
    HttpResponse<String> noType = post(jobs, job, TOKEN, null, null);
    // Even JSON with the right token is refused from another origin.
    HttpResponse<String> foreign =
        post(jobs, job, TOKEN, "application/json", "http://evil.example");
    HttpResponse<String> nullOrigin = post(jobs, job, TOKEN, "application/json", "null");
    HttpResponse<String> ownOrigin = post(jobs, job, TOKEN, "application/json", base);

    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(403);
    assertThat(JSON.readTree(plain.body()).path("error").asText())
        .contains("Origin 'http://evil.example'")
        .contains("troupe.http.allowed-origins");
    assertThat(plainOwnOrigin.statusCode()).as(plainOwnOrigin.body()).isEqualTo(415);
    assertThat(JSON.readTree(plainOwnOrigin.body()).path("error").asText())
        .contains("Content-Type: application/json");
    assertThat(form.statusCode()).isEqualTo(415);
    assertThat(noType.statusCode()).isEqualTo(415);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(nullOrigin.statusCode()).isEqualTo(403);
    assertThat(ownOrigin.statusCode()).as(ownOrigin.body()).isEqualTo(202);

    // Only the accepted job started: once it is listed, nothing else new is.
    String accepted = JSON.readTree(ownOrigin.body()).path("job").asText();
    assertThat(startedSince(before, accepted)).containsExactly(accepted);
  }

  @Test
  @Order(2)
  void aRebindingHost_isRefusedOnReadsAndPosts_whileThisNodesNamesPass() throws Exception {
    String body = "{\"pipeline\":\"sum\",\"args\":[\"--n\",\"3\"]}";
    List<String> before = listedJobs();

    for (String host :
        List.of(
            "evil.example",
            "evil.example:" + port,
            "127.0.0.1.evil.example:" + port,
            "localhost.evil.example",
            "10.11.12.13:" + port,
            "[fe80::1]:" + port,
            "127.0.0.1:x")) {
      String[] read = raw(port, rawGet("/api/jobs", host));
      assertThat(read[0]).as("GET with Host %s: %s", host, read[1]).isIn("421", "400");
      if (read[0].equals("421")) {
        assertThat(JSON.readTree(read[1]).path("error").asText())
            .contains("troupe.http.allowed-hosts");
      }
      String[] posted = raw(port, rawPost(host, body, TOKEN));
      assertThat(posted[0]).as("POST with Host %s: %s", host, posted[1]).isIn("421", "400");
    }
    assertThat(raw(port, rawGet("/api/jobs", "evil.example:" + port))[0]).isEqualTo("421");
    for (String host : List.of("127.0.0.1:" + port, "127.0.0.1", "localhost:" + port)) {
      String[] read = raw(port, rawGet("/api/jobs", host));
      assertThat(read[0]).as("GET with Host %s: %s", host, read[1]).isEqualTo("200");
    }
    String[] posted = raw(port, rawPost("localhost:" + port, body, TOKEN));
    assertThat(posted[0]).as(posted[1]).isEqualTo("202");
    String accepted = JSON.readTree(posted[1]).path("job").asText();
    assertThat(startedSince(before, accepted)).containsExactly(accepted);
  }

  @Test
  @Order(5)
  void withAuthenticatedReads_everyDataRouteNeedsTheToken_healthAndThePageDoNot() throws Exception {
    byte[] job = utf8("{\"pipeline\":\"sum\",\"args\":[\"--n\",\"4\"]}");
    String token = guardedToken();
    HttpResponse<String> submitted =
        post(guardedBase + "/api/jobs", job, token, "application/json", null);
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    String id = JSON.readTree(submitted.body()).path("job").asText();
    List<String> data =
        List.of(
            "/api/jobs/" + id,
            "/api/jobs",
            "/api/cluster",
            "/api/pipelines",
            "/metrics",
            "/cluster/members");
    for (String path : data) {
      HttpResponse<String> anonymous = getUrl(guardedBase + path, null);
      assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
      assertThat(JSON.readTree(anonymous.body()).path("error").asText())
          .as(path)
          .contains("Authorization: Bearer");
      assertThat(getUrl(guardedBase + path, "wrong").statusCode()).as(path).isEqualTo(401);
      assertThat(getUrl(guardedBase + path, token).statusCode()).as(path).isEqualTo(200);
    }
    // Health checks and the dashboard's page and assets hold no data and stay open.
    assertThat(getUrl(guardedBase + "/ready", null).statusCode()).isIn(200, 503);
    assertThat(getUrl(guardedBase + "/alive", null).statusCode()).isEqualTo(200);
    assertThat(getUrl(guardedBase + "/", null).statusCode()).isEqualTo(200);
    assertThat(getUrl(guardedBase + "/assets/dashboard.js", null).statusCode()).isEqualTo(200);

    // The scrape token admits GET /metrics and nothing else.
    assertThat(getUrl(guardedBase + "/metrics", METRICS_TOKEN).statusCode()).isEqualTo(200);
    for (String path : data) {
      if (!path.equals("/metrics")) {
        assertThat(getUrl(guardedBase + path, METRICS_TOKEN).statusCode()).as(path).isEqualTo(401);
      }
    }
    assertThat(
            post(guardedBase + "/api/jobs", job, METRICS_TOKEN, "application/json", null)
                .statusCode())
        .isEqualTo(401);
  }

  /** The token the second node generated into its token file (none is configured for it). */
  private static String guardedToken() throws Exception {
    Path file = dir.resolve("reads/http-token");
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }

  @Test
  @Order(6)
  void fuzzedJobRequests_getOnlyTheDocumentedAnswer_andTheNodeKeepsWorking() throws Exception {
    Random random = new Random(20261122L);
    String[] templates = {
      "{\"pipeline\":\"sum\",\"args\":[\"--n\",\"5\"]}",
      "{\"pipeline\":\"sum\",\"args\":[\"--n\",\"3\",\"--fail\",\"2\"]}",
      "{\"pipeline\":\"sum\"}",
      "{\"args\":[\"--n\",\"5\"]}",
      "[\"sum\",\"--n\",\"5\"]",
      "{\"pipeline\":null,\"args\":{}}",
    };
    Set<Integer> fromTheBody = Set.of(202, 400, 413, 429);
    String[] otherTypes = {
      "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null
    };
    String[] foreignOrigins = {
      "http://evil.example", "null", "http://127.0.0.1", base.replace("http:", "https:")
    };
    Map<Integer, Integer> answers = new TreeMap<>();
    int requests = 3000;
    for (int i = 0; i < requests; i++) {
      byte[] body = fuzzBody(random, templates);
      String token =
          switch (random.nextInt(20)) {
            case 0 -> null;
            case 1 -> "wrong-" + TOKEN;
            case 2 -> TOKEN.substring(1);
            default -> TOKEN;
          };
      String contentType =
          random.nextInt(10) == 0
              ? otherTypes[random.nextInt(otherTypes.length)]
              : random.nextBoolean() ? "application/json" : "application/json; charset=utf-8";
      String origin =
          switch (random.nextInt(10)) {
            case 0 -> foreignOrigins[random.nextInt(foreignOrigins.length)];
            case 1 -> base;
            default -> null;
          };
      // The guard's answer comes first and is exact; only a request that passes it reaches the
      // job API, whose answer depends on the body.
      int expected =
          origin != null && !origin.equals(base)
              ? 403
              : contentType == null || !contentType.startsWith("application/json")
                  ? 415
                  : !TOKEN.equals(token) ? 401 : 0;
      HttpResponse<String> r;
      try {
        r = post(base + "/api/jobs", body, token, contentType, origin);
      } catch (java.io.IOException closed) {
        // After refusing a body the server closes that connection without reading the rest; a
        // request the client had already queued on it gets no answer. Send it again on a fresh
        // connection: a second failure is a real one.
        r = post(base + "/api/jobs", body, token, contentType, origin);
      }
      answers.merge(r.statusCode(), 1, Integer::sum);
      String described =
          String.format(
              "answer to %s (Content-Type %s, Origin %s, token %s)",
              new String(body, StandardCharsets.UTF_8), contentType, origin, token);
      if (expected != 0) {
        assertThat(r.statusCode()).as(described).isEqualTo(expected);
      } else {
        assertThat(r.statusCode()).as(described).isIn(fromTheBody);
      }
      if (r.statusCode() != 202) {
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.path("error").asText()).as(r.body()).isNotBlank().doesNotContain("\n");
      }
    }
    System.out.println("fuzz answers by status: " + answers);
    assertThat(answers.getOrDefault(400, 0)).isGreaterThan(requests / 4);
    assertThat(answers).containsKeys(202, 401, 403, 415);
    assertThat(get("/api/jobs/no-such-job").statusCode()).isEqualTo(404);
    assertThat(get("/api/jobs/..%2F..%2Fetc").statusCode()).isEqualTo(404);

    // The node still runs jobs to the right result afterwards.
    HttpResponse<String> accepted =
        post("/api/jobs", utf8("{\"pipeline\":\"sum\",\"args\":[\"--n\",\"100\"]}"), TOKEN);
    assertThat(accepted.statusCode()).isEqualTo(202);
    String id = JSON.readTree(accepted.body()).path("job").asText();
    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> JSON.readTree(get("/api/jobs/" + id).body()).path("status").asText(),
            s -> s.equals("completed"));
    assertThat(JSON.readTree(get("/api/jobs/" + id).body()).path("result").path("sum").asLong())
        .isEqualTo(5050);
    // The fuzz started jobs of any size: cancel those still running, so later tests get workers.
    for (JsonNode job : JSON.readTree(get("/api/jobs").body()).path("jobs")) {
      if (!job.path("state").asText().startsWith("completed")) {
        delete(base + "/api/jobs/" + job.path("job").asText(), TOKEN, "application/json", null);
      }
    }
  }

  @Test
  @Order(7)
  void cancel_needsTheToken_endsTheJobCanceled_isIdempotent_andAJobOverAnswers409()
      throws Exception {
    String done = submit("{\"pipeline\":\"sum\",\"args\":[\"--n\",\"5\"]}");
    String running =
        submit("{\"pipeline\":\"sum\",\"args\":[\"--n\",\"4000\",\"--sleep-ms\",\"5\"]}");
    Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> state(done), "completed"::equals);
    Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> state(running), "running"::equals);
    String url = base + "/api/jobs/" + running;

    HttpResponse<String> none = delete(url, null, "application/json", null);
    HttpResponse<String> wrong = delete(url, "not-the-token", "application/json", null);
    HttpResponse<String> foreign = delete(url, TOKEN, "application/json", "http://evil.example");
    assertThat(state(running)).isEqualTo("running");
    HttpResponse<String> canceled = delete(url, TOKEN, "application/json", null);
    HttpResponse<String> again = delete(url, TOKEN, "application/json", null);
    HttpResponse<String> unknown =
        delete(base + "/api/jobs/sum-no-such-job", TOKEN, "application/json", null);

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(canceled.statusCode()).as(canceled.body()).isEqualTo(200);
    JsonNode status = JSON.readTree(canceled.body());
    assertThat(status.path("status").asText()).isEqualTo("canceled");
    assertThat(status.path("progress").path("completed").asLong()).isLessThan(4000);
    assertThat(state(running)).isEqualTo("canceled");
    // Sent again (say after a timeout), a cancel answers the same.
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).path("status").asText()).isEqualTo("canceled");
    HttpResponse<String> over = delete(base + "/api/jobs/" + done, TOKEN, "application/json", null);
    assertThat(over.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(over.body()).path("error").asText())
        .isEqualTo("job " + done + " is over already (completed); there is nothing to cancel");
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  @Test
  @Order(8)
  void fuzzedCancels_getOnlyTheDocumentedAnswer_andCancelEveryJobTheyName() throws Exception {
    Random random = new Random(20261203L);
    String done = submit("{\"pipeline\":\"sum\",\"args\":[\"--n\",\"5\"]}");
    Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> state(done), "completed"::equals);
    List<String> long_ = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long_.add(submit("{\"pipeline\":\"sum\",\"args\":[\"--n\",\"4000\",\"--sleep-ms\",\"5\"]}"));
    }
    String[] noise = {
      "sum-no-such-job", "..%2F..%2Fetc", "%00", "a%20b", "x".repeat(300), "%E2%98%83", "-", "_"
    };
    Map<Integer, Integer> answers = new TreeMap<>();
    for (int i = 0; i < 600; i++) {
      String id =
          switch (random.nextInt(4)) {
            case 0 -> done;
            case 1 -> long_.get(random.nextInt(long_.size()));
            default -> noise[random.nextInt(noise.length)];
          };
      String token = random.nextInt(8) == 0 ? "wrong-" + TOKEN : TOKEN;
      String contentType =
          random.nextInt(8) == 0 ? "text/plain" : random.nextBoolean() ? "application/json" : null;
      String origin = random.nextInt(8) == 0 ? "http://evil.example" : null;
      int guard =
          origin != null
              ? 403
              : !"application/json".equals(contentType) ? 415 : !TOKEN.equals(token) ? 401 : 0;
      HttpResponse<String> r = delete(base + "/api/jobs/" + id, token, contentType, origin);
      answers.merge(r.statusCode(), 1, Integer::sum);
      String described = "DELETE " + id + " (" + contentType + ", " + origin + ", " + token + ")";
      if (guard != 0) {
        assertThat(r.statusCode()).as(described).isEqualTo(guard);
      } else if (id.equals(done)) {
        assertThat(r.statusCode()).as(described).isEqualTo(409);
      } else if (long_.contains(id)) {
        assertThat(r.statusCode()).as(described).isEqualTo(200);
      } else {
        assertThat(r.statusCode()).as(described).isEqualTo(404);
      }
      JsonNode body = JSON.readTree(r.body());
      if (r.statusCode() != 200) {
        assertThat(body.path("error").asText()).as(r.body()).isNotBlank().doesNotContain("\n");
      }
    }
    System.out.println("cancel fuzz answers by status: " + answers);
    assertThat(answers).containsKeys(200, 401, 403, 404, 409, 415);
    for (String id : long_) {
      assertThat(state(id)).isEqualTo("canceled");
    }
    assertThat(state(done)).isEqualTo("completed");
  }

  @Test
  @Order(9)
  void jobList_isTheRegistry_filteredAndPaged_andBadQueriesGet400() throws Exception {
    JsonNode canceled = JSON.readTree(get("/api/jobs?state=canceled&limit=2").body());
    JsonNode next = JSON.readTree(get("/api/jobs?state=canceled&limit=2&offset=2").body());
    HttpResponse<String> bad = get("/api/jobs?state=bogus");
    HttpResponse<String> badSince = get("/api/jobs?since=tomorrow%0Aevil");

    assertThat(canceled.path("total").asLong()).isGreaterThanOrEqualTo(4);
    assertThat(canceled.path("jobs")).hasSize(2);
    assertThat(canceled.path("limit").asInt()).isEqualTo(2);
    for (JsonNode page : List.of(canceled, next)) {
      for (JsonNode job : page.path("jobs")) {
        assertThat(job.path("state").asText()).isEqualTo("canceled");
        assertThat(job.path("pipeline").asText()).isEqualTo("sum");
        assertThat(job.path("submittedBy").asText()).isEqualTo("127.0.0.1");
        assertThat(job.path("finishedAt").asLong()).isPositive();
      }
    }
    // Newest first, and the second page goes on where the first stopped.
    assertThat(canceled.path("jobs").get(0).path("submittedAt").asLong())
        .isGreaterThanOrEqualTo(canceled.path("jobs").get(1).path("submittedAt").asLong());
    assertThat(next.path("jobs").get(0).path("job").asText())
        .isNotIn(
            canceled.path("jobs").get(0).path("job").asText(),
            canceled.path("jobs").get(1).path("job").asText());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).path("error").asText()).startsWith("state 'bogus'");
    for (String priority : List.of("0", "1001", "18446744073709551621", "2.5", "\"3\"", "[3]")) {
      HttpResponse<String> refused =
          post(
              "/api/jobs",
              utf8("{\"pipeline\":\"sum\",\"args\":[\"--n\",\"5\"],\"priority\":" + priority + "}"),
              TOKEN);
      assertThat(refused.statusCode()).as(priority).isEqualTo(400);
      assertThat(JSON.readTree(refused.body()).path("error").asText())
          .isEqualTo("\"priority\" must be a whole number from 1 to 1000");
    }
    assertThat(badSince.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badSince.body()).path("error").asText()).doesNotContain("\n");
  }

  @Test
  @Order(10)
  void cancel_ofAJobAdmittedButNotYetAtItsCoordinator_startsItFromTheRegistryAndCancelsIt()
      throws Exception {
    // What a node that died between admitting a job and sending its start leaves behind.
    String id = "sum-20261203-120000-a1b2";
    long now = System.currentTimeMillis();
    node.registry()
        .admit(
            new io.troupe.persistence.registry.JobRegistry.Job(
                id,
                "sum",
                List.of("--n", "4000", "--sleep-ms", "5"),
                "10.0.0.9",
                "starting",
                1,
                now,
                0,
                0,
                0,
                0,
                0,
                0,
                null,
                now),
            100);

    HttpResponse<String> canceled = null;
    for (int i = 0; i < 60; i++) {
      canceled = delete(base + "/api/jobs/" + id, TOKEN, "application/json", null);
      if (canceled.statusCode() != 503) {
        break;
      }
      Thread.sleep(500);
    }

    assertThat(canceled.statusCode()).as(canceled.body()).isEqualTo(200);
    assertThat(JSON.readTree(canceled.body()).path("status").asText()).isEqualTo("canceled");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> node.registry().get(id).state(), "canceled"::equals);
    assertThat(node.registry().get(id).submittedBy()).isEqualTo("10.0.0.9");
  }

  /** A body: random bytes, random text, a mutated template, a deep nest or an oversize one. */
  private static byte[] fuzzBody(Random random, String[] templates) {
    int kind = random.nextInt(20);
    if (kind == 0) {
      byte[] bytes = new byte[random.nextInt(200)];
      random.nextBytes(bytes);
      return bytes;
    }
    if (kind == 1) {
      int depth = 2000 + random.nextInt(3000);
      return utf8("[".repeat(depth) + "]".repeat(depth));
    }
    if (kind == 2) {
      return utf8("{\"pipeline\":\"sum\",\"args\":[\"" + "x".repeat(70_000) + "\"]}");
    }
    if (kind == 3) {
      String[] odd = {
        "",
        "null",
        "true",
        "42",
        "\"sum\"",
        "{}",
        "{\"pipeline\":\"\"}",
        "{\"pipeline\":\"no-such-pipeline\"}",
        "{\"pipeline\":\"sum\",\"args\":[1,2]}",
        "{\"pipeline\":\"sum\",\"args\":\"--n 5\"}",
        "{\"pipeline\":[\"sum\"]}",
        "{\"pipeline\":\"sum\",\"args\":[\"--n\",\"1e999\"]}",
        "{\"pipeline\":\"sum\",\"args\":[\"--n\",\"-5\"]}",
        "{\"pipeline\":\"sum\",\"args\":[\"--n\"]}",
        "{\"pipeline\":\"sum\",\"args\":[\"--bogus\",\"1\"]}",
        "{\"pipeline\":\"sum\\u0000\"}",
        "{\"pipeline\":\"\\ud800\"}",
        "{\"pipeline\":\"sum\",\"pipeline\":\"sum\"}",
        "{\"pipeline\":\"sum\",\"args\":[\"--n\",\"99999999999999999999\"]}",
      };
      return utf8(odd[random.nextInt(odd.length)]);
    }
    StringBuilder text = new StringBuilder(templates[random.nextInt(templates.length)]);
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations && text.length() > 0; m++) {
      int at = random.nextInt(text.length());
      char c = (char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000));
      switch (random.nextInt(4)) {
        case 0 -> text.deleteCharAt(at);
        case 1 -> text.insert(at, c);
        case 2 -> text.setCharAt(at, c);
        default -> text.insert(at, text.substring(at, Math.min(text.length(), at + 8)));
      }
    }
    return utf8(text.toString());
  }
}
