package io.troupe.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.Pipelines;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's HTTP API in process: the bearer token on mutating routes, read-only routes open on
 * loopback, and a fuzz of a few thousand random and mutated bodies at {@code POST /api/jobs} that
 * must only ever get documented answers, never a 5xx, and leave the node working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class HttpApiTest {

  private static final String TOKEN = "test-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dir;

  private TroupeNode node;
  private String base;

  @BeforeAll
  void start() throws Exception {
    node =
        TroupeNode.start(
            "http-api-test",
            ConfigFactory.parseString(
                "troupe.persistence.h2.file = \""
                    + dir.resolve("ledger")
                    + "\"\ntroupe.jobs.workers-per-node = 2"
                    + "\npekko.management.http.hostname = 127.0.0.1"
                    + "\npekko.management.http.port = 0"
                    + "\ntroupe.http.token = \""
                    + TOKEN
                    + "\""),
            Pipelines.load(),
            TroupeNode.Membership.SELF);
    node.whenUp().toCompletableFuture().get(30, TimeUnit.SECONDS);
    ServerBinding binding = NodeHttp.start(node).toCompletableFuture().get(30, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private HttpResponse<String> post(String path, byte[] body, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void mutatingRoutes_needTheToken_readOnlyRoutesStayOpenOnLoopback() throws Exception {
    byte[] job = utf8("{\"pipeline\":\"sum\",\"args\":[\"--n\",\"5\"]}");

    HttpResponse<String> none = post("/api/jobs", job, null);
    HttpResponse<String> wrong = post("/api/jobs", job, "not-the-token");
    HttpResponse<String> right = post("/api/jobs", job, TOKEN);

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(none.body()).path("error").asText()).contains("Bearer");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(right.statusCode()).as(right.body()).isEqualTo(202);
    String id = JSON.readTree(right.body()).path("job").asText();
    for (String path :
        new String[] {"/api/jobs", "/api/jobs/" + id, "/api/cluster", "/metrics", "/"}) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void aGeneratedToken_isKeptOwnerOnly_andReadAgain() throws Exception {
    Path file = dir.resolve("state/http-token");
    HttpSettings exposed =
        new HttpSettings("0.0.0.0", 8551, "", 65536, Duration.ofSeconds(10), file, 32);

    HttpToken.Resolved first = HttpToken.resolve(exposed, file);
    HttpToken.Resolved again = HttpToken.resolve(exposed, file);

    assertThat(first.generated()).isTrue();
    assertThat(first.token()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(again.generated()).isFalse();
    assertThat(again.token()).isEqualTo(first.token());
    assertThat(HttpToken.resolve(exposed.withToken("configured"), file).token())
        .isEqualTo("configured");
    HttpSettings loopback =
        new HttpSettings("127.0.0.1", 8551, "", 65536, Duration.ofSeconds(10), file, 32);
    assertThat(HttpToken.resolve(loopback, file).token()).as("no token on loopback").isEmpty();
  }

  @Test
  void fuzzedJobBodies_getOnlyDocumentedAnswers_andTheNodeKeepsWorking() throws Exception {
    Random random = new Random(20261122L);
    String[] templates = {
      "{\"pipeline\":\"sum\",\"args\":[\"--n\",\"5\"]}",
      "{\"pipeline\":\"sum\",\"args\":[\"--n\",\"3\",\"--fail\",\"2\"]}",
      "{\"pipeline\":\"sum\"}",
      "{\"args\":[\"--n\",\"5\"]}",
      "[\"sum\",\"--n\",\"5\"]",
      "{\"pipeline\":null,\"args\":{}}",
    };
    Set<Integer> documented = Set.of(202, 400, 401, 404, 413, 429);
    Map<Integer, Integer> answers = new TreeMap<>();
    int requests = 3000;
    for (int i = 0; i < requests; i++) {
      byte[] body = fuzzBody(random, templates);
      String token = random.nextInt(10) == 0 ? null : TOKEN;
      HttpResponse<String> r;
      try {
        r = post("/api/jobs", body, token);
      } catch (java.io.IOException closed) {
        // After refusing an oversize body the server closes that connection without reading the
        // rest; a request the client had already queued on it gets no answer. Send it again on a
        // fresh connection: a second failure is a real one.
        r = post("/api/jobs", body, token);
      }
      answers.merge(r.statusCode(), 1, Integer::sum);
      assertThat(r.statusCode())
          .as("answer to %s", new String(body, StandardCharsets.UTF_8))
          .isIn(documented);
      if (r.statusCode() != 202) {
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.path("error").asText()).as(r.body()).isNotBlank().doesNotContain("\n");
      }
    }
    System.out.println("fuzz answers by status: " + answers);
    assertThat(answers.getOrDefault(400, 0)).isGreaterThan(requests / 3);
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
