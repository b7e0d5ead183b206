package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe run --metrics-port}: {@code /metrics} scraped while a job with a deliberately slow
 * stage runs passes Prometheus' own checker, carries the per-stage series with non-zero values, and
 * shows the slow stage's queue growing; the run report names that stage as the bottleneck.
 */
final class MetricsIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void metricsDuringARun_passPromtool_andShowTheSlowStageQueueing() throws Exception {
    Promtool.requireInstalled();
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Process run =
        TroupeProcess.start(
            dir,
            List.of(),
            "run",
            "slowstage",
            "--items",
            "300",
            "--fast-ms",
            "20",
            "--slow-ms",
            "60",
            "--workers",
            "2",
            "--metrics-port",
            String.valueOf(port),
            "--format",
            "json");
    try {
      String url = "http://127.0.0.1:" + port + "/metrics";
      List<Double> slowWaiting = new ArrayList<>();
      String[] scrape = new String[1];
      // Scrape until the slow stage has both completed items and a queue that grew between two
      // scrapes (its items pile up behind the fast ones).
      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () -> {
                String text = scrapeOrNull(url);
                if (text == null) {
                  return false;
                }
                scrape[0] = text;
                value(text, "troupe_stage_items_waiting", "slow").ifPresent(slowWaiting::add);
                return value(text, "troupe_items_processed_total", "slow").orElse(0.0) > 0
                    && grew(slowWaiting);
              });
      String text = scrape[0];
      Promtool.check(text);
      for (String stage : List.of("fast", "slow")) {
        assertThat(value(text, "troupe_items_processed_total", stage)).get().isNotEqualTo(0.0);
        assertThat(value(text, "troupe_stage_busy_seconds_total", stage)).get().isNotEqualTo(0.0);
        assertThat(value(text, "troupe_item_latency_seconds_count", stage)).get().isNotEqualTo(0.0);
        assertThat(text).contains("troupe_item_latency_seconds_bucket{");
      }
      assertThat(text)
          .contains("troupe_items_failed_total{")
          .contains("troupe_items_retried_total{")
          .contains("troupe_items_quarantined_total{")
          .contains("troupe_job_in_flight{")
          .contains("troupe_job_mailbox_depth{")
          .contains("troupe_cluster_members{status=\"up\"} 1.0")
          .contains("troupe_shards_hosted{type=\"TroupeJob\"}")
          .contains("troupe_dispatcher_utilization{")
          .contains("jvm_memory_used_bytes{");
      assertThat(slowWaiting).as("the slow stage's queue as scraped").isNotEmpty();

      assertThat(run.waitFor(3, TimeUnit.MINUTES)).as("the run finished").isTrue();
      assertThat(run.exitValue()).isZero();
      JsonNode out =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(Files.readString(dir.resolve("stdout.txt")));
      assertThat(out.path("result").path("slow").asInt()).isEqualTo(300);
      JsonNode report = out.path("report");
      assertThat(report.path("bottleneck").asText()).as(report.toString()).isEqualTo("slow");
      for (JsonNode stage : report.path("stages")) {
        if (stage.path("name").asText().equals("slow")) {
          assertThat(stage.path("maxWaiting").asLong()).as(report.toString()).isGreaterThan(10);
        }
      }
    } finally {
      run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void metricsPort_inUse_isAUsageError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      TroupeProcess.Result r =
          TroupeProcess.run(
              dir,
              "run",
              "faulty",
              "--n",
              "3",
              "--metrics-port",
              String.valueOf(taken.getLocalPort()));
      assertThat(r.exitCode()).as(r.stderr()).isEqualTo(2);
      assertThat(r.stderr()).contains("--metrics-port: cannot listen on 127.0.0.1:");
    }
    TroupeProcess.Result bad = TroupeProcess.run(dir, "run", "faulty", "--metrics-port", "0");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stderr()).contains("--metrics-port must be a port from 1 to 65535");
  }

  private static boolean grew(List<Double> values) {
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i) > values.get(i - 1) && values.get(i - 1) > 0) {
        return true;
      }
    }
    return false;
  }

  private static String scrapeOrNull(String url) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (java.io.IOException e) {
      return null; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Returns the value of the series {@code name} whose stage label is {@code stage}. */
  private static java.util.Optional<Double> value(String text, String name, String stage) {
    Pattern p =
        Pattern.compile(
            "^" + Pattern.quote(name) + "\\{[^}]*stage=\"" + stage + "\"[^}]*} (\\S+)$",
            Pattern.MULTILINE);
    Matcher m = p.matcher(text);
    return m.find()
        ? java.util.Optional.of(Double.parseDouble(m.group(1)))
        : java.util.Optional.empty();
  }
}
