package io.troupe.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Beyond {@code troupe.http.max-running-jobs}, new jobs are refused with 429 and a reason, also
 * when they arrive in a burst; beyond {@code troupe.jobs.max-items}, a job is refused (400) before
 * it is planned when its options tell its size, and fails once planned when they do not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class HttpOverloadTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String SLOW_JOB =
      "{\"pipeline\":\"sum\",\"args\":[\"--n\",\"40\",\"--sleep-ms\",\"100\"]}";

  @TempDir static Path dir;

  private TroupeNode node;
  private String base;
  private String token;

  @BeforeAll
  void start() throws Exception {
    node =
        TestNodes.startUp(
            "http-overload-test",
            TestNodes.h2Ledger(dir.resolve("ledger"))
                + TestNodes.HTTP_ON_FREE_PORT
                + "troupe.jobs.workers-per-node = 2\n"
                + "troupe.http.token-file = \""
                + dir.resolve("http-token")
                + "\"\ntroupe.http.max-running-jobs = 2"
                + "\ntroupe.jobs.max-items = 1000");
    base = "http://127.0.0.1:" + TestNodes.serveHttp(node);
    // No token is configured: the node generated one into its token file, as on a laptop.
    token = java.nio.file.Files.readString(dir.resolve("http-token")).strip();
  }

  @AfterAll
  void stop() {
    TestNodes.close(node);
  }

  private HttpResponse<String> submit(String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/api/jobs"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private long running() throws Exception {
    JsonNode jobs =
        JSON.readTree(
            HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/jobs")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    long n = 0;
    for (JsonNode job : jobs.path("jobs")) {
      String state = job.path("state").asText();
      n += state.equals("running") || state.equals("starting") ? 1 : 0;
    }
    return n;
  }

  @Test
  void jobsBeyondTheLimit_areRefusedWith429_untilOneFinishes() throws Exception {
    assertThat(submit(SLOW_JOB).statusCode()).isEqualTo(202);
    assertThat(submit(SLOW_JOB).statusCode()).isEqualTo(202);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> running() == 2);

    HttpResponse<String> refused = submit(SLOW_JOB);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).contains("5");
    assertThat(JSON.readTree(refused.body()).path("error").asText())
        .contains("troupe.http.max-running-jobs");
    Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> running() < 2);
    assertThat(submit(SLOW_JOB).statusCode()).isEqualTo(202);
  }

  @Test
  void aBurstOfJobs_admitsNoMoreThanTheLimit() throws Exception {
    Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> running() == 0);
    ExecutorService clients = Executors.newFixedThreadPool(8);
    List<String> accepted = new ArrayList<>();
    try {
      List<Future<HttpResponse<String>>> burst = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        burst.add(clients.submit(() -> submit(SLOW_JOB)));
      }
      for (Future<HttpResponse<String>> f : burst) {
        HttpResponse<String> r = f.get(1, TimeUnit.MINUTES);
        assertThat(r.statusCode()).as(r.body()).isIn(202, 429);
        if (r.statusCode() == 202) {
          accepted.add(JSON.readTree(r.body()).path("job").asText());
        }
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(accepted).hasSize(2);
    for (String job : accepted) {
      Awaitility.await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> status(job).path("status").asText().equals("completed"));
    }
    Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> running() == 0);
  }

  private JsonNode status(String job) throws Exception {
    return JSON.readTree(
        HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/api/jobs/" + job)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  @Test
  void aJobWhoseOptionsPlanTooManyItems_isRefusedBeforePlanning() throws Exception {
    HttpResponse<String> refused = submit("{\"pipeline\":\"sum\",\"args\":[\"--n\",\"100001\"]}");

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(refused.body()).path("error").asText())
        .isEqualTo(
            "sum would plan 100,001 items, more than troupe.jobs.max-items (1,000) allows; use"
                + " larger items (a bigger segment, batch, tile or chunk) or raise the setting");
  }

  @Test
  void aJobThatPlansTooManyItems_failsWithoutRunning() throws Exception {
    HttpResponse<String> accepted =
        submit("{\"pipeline\":\"sum\",\"args\":[\"--n\",\"1001\",\"--unsized\"]}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    String job = JSON.readTree(accepted.body()).path("job").asText();

    JsonNode status =
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> status(job), s -> s.path("status").asText().equals("failed"));
    assertThat(status.toString())
        .contains("sum would plan 1,001 items, more than troupe.jobs.max-items (1,000)");
  }
}
