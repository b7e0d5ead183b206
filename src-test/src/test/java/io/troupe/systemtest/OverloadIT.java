package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.persistence.testing.PostgresDatabase;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload: one node process with a small heap ({@code -Xmx160m}) and limits sized for it is sent
 * far more work than it can hold at once, from several clients in parallel: hundreds of jobs of
 * tens of thousands of items each, and jobs whose options would plan billions of items. It must
 * refuse what is beyond its limits at once, with 429 (and {@code Retry-After}) or 400 and a reason,
 * run what it accepted to the exact result, and never run out of memory: its heap stays bounded by
 * the limits, not by the flood.
 *
 * <p>Skipped without PostgreSQL, failed instead under {@code TROUPE_REQUIRE_POSTGRES=1}.
 */
final class OverloadIT {

  private static final int HEAP_MB = 160;
  private static final int MAX_RUNNING = 4;
  private static final int MAX_ITEMS = 50_000;
  private static final int ITEMS_PER_JOB = 40_000;
  private static final int FLOOD = 400;
  private static final int HUGE = 100;
  private static final int CLIENTS = 8;

  private static final Pattern HEAP_USED =
      Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.eE+]+)$");

  private PostgresDatabase db;
  private Process node;

  @AfterEach
  void stop() throws Exception {
    try {
      if (node != null) {
        node.destroy();
        if (!node.waitFor(30, TimeUnit.SECONDS)) {
          node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  @Test
  void floodOfJobsAndItems_isRefusedBeyondTheLimits_andTheHeapStaysBounded(@TempDir Path dir)
      throws Exception {
    db = PostgresDatabase.createOrSkip();
    int port = freePort();
    int httpPort = freePort();
    String base = "http://127.0.0.1:" + httpPort;
    Path config =
        Files.writeString(
            dir.resolve("small-node.conf"),
            "include file(\""
                + TroupeProcess.ROOT.resolve("config/cluster/cluster.conf").toAbsolutePath()
                + "\")\n"
                + "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:"
                + port
                + "\"]\n"
                + "pekko.remote.artery.canonical.port = "
                + port
                + "\npekko.management.http.port = "
                + httpPort
                + "\ntroupe.http.max-running-jobs = "
                + MAX_RUNNING
                + "\ntroupe.jobs.max-items = "
                + MAX_ITEMS
                + "\ntroupe.jobs.workers-per-node = 2\n");
    Path log = dir.resolve("node.log");
    node =
        TroupeProcess.start(
            dir,
            List.of("-Xmx" + HEAP_MB + "m", "-XX:+ExitOnOutOfMemoryError"),
            LocalCluster.withToken(Map.of("TROUPE_DB_URL", db.url())),
            log,
            log,
            "node",
            "--config",
            config.toString());
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> LocalCluster.getResponse(base + "/ready").statusCode() == 200);

    AtomicLong peakHeap = new AtomicLong();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
    Future<?> sampler =
        clients.submit(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  peakHeap.accumulateAndGet(heapUsed(base), Math::max);
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return null;
                } catch (Exception e) {
                  // a sample missed under load; the next one counts
                }
              }
              return null;
            });

    // The flood: ordinary jobs from several clients at once, and mistyped ones that would plan
    // 10^10 items each (primes with one number per segment).
    Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    List<String> badRefusals = new ArrayList<>();
    List<Future<?>> sent = new ArrayList<>();
    long[] latencies = new long[FLOOD + HUGE];
    for (int i = 0; i < FLOOD + HUGE; i++) {
      int n = i;
      sent.add(
          clients.submit(
              () -> {
                String body =
                    n % ((FLOOD + HUGE) / HUGE) == 0
                        ? "{\"pipeline\":\"primes\",\"args\":[\"--limit\",\"10000000000\","
                            + "\"--segment\",\"1\"]}"
                        : "{\"pipeline\":\"faulty\",\"args\":[\"--n\",\"" + ITEMS_PER_JOB + "\"]}";
                long t0 = System.nanoTime();
                HttpResponse<String> r = LocalCluster.postResponse(base + "/api/jobs", body);
                latencies[n] = System.nanoTime() - t0;
                answers.computeIfAbsent(r.statusCode(), k -> new AtomicLong()).incrementAndGet();
                JsonNode answer = LocalCluster.parse(r.body());
                switch (r.statusCode()) {
                  case 202 -> accepted.add(answer.path("job").asText());
                  case 429 -> {
                    if (r.headers().firstValue("Retry-After").isEmpty()
                        || !answer.path("error").asText().contains("max-running-jobs")) {
                      synchronized (badRefusals) {
                        badRefusals.add(r.statusCode() + " " + r.headers() + " " + r.body());
                      }
                    }
                  }
                  case 400 -> {
                    if (!answer.path("error").asText().contains("troupe.jobs.max-items")) {
                      synchronized (badRefusals) {
                        badRefusals.add(r.statusCode() + " " + r.body());
                      }
                    }
                  }
                  default -> {
                    synchronized (badRefusals) {
                      badRefusals.add(r.statusCode() + " " + r.body());
                    }
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : sent) {
      f.get(5, TimeUnit.MINUTES);
    }

    Map<Integer, Long> counts = new TreeMap<>();
    answers.forEach((code, c) -> counts.put(code, c.get()));
    assertThat(badRefusals).as("answers other than 202, 429 and 400 with a reason").isEmpty();
    assertThat(counts.getOrDefault(400, 0L)).as("%s", counts).isEqualTo(HUGE);
    assertThat(counts.getOrDefault(429, 0L)).as("%s", counts).isPositive();
    assertThat(accepted).as("%s", counts).isNotEmpty();

    // Everything accepted runs to the exact result, on the same small heap.
    long sum = (long) ITEMS_PER_JOB * (ITEMS_PER_JOB + 1) / 2;
    for (String job : accepted) {
      JsonNode done =
          Awaitility.await()
              .atMost(Duration.ofMinutes(5))
              .pollInterval(Duration.ofMillis(500))
              .ignoreExceptions()
              .until(
                  () -> LocalCluster.get(base + "/api/jobs/" + job).body(),
                  s -> s.path("status").asText().startsWith("completed"));
      assertThat(done.path("status").asText()).as(job).isEqualTo("completed");
      assertThat(done.path("result").path("sum").asLong()).as(job).isEqualTo(sum);
      assertThat(done.path("progress").path("completed").asLong()).as(job).isEqualTo(ITEMS_PER_JOB);
    }
    sampler.cancel(true);
    clients.shutdownNow();

    // Once the flood is over, the node takes work as before.
    HttpResponse<String> after =
        LocalCluster.postResponse(
            base + "/api/jobs", "{\"pipeline\":\"faulty\",\"args\":[\"--n\",\"100\"]}");
    assertThat(after.statusCode()).as(after.body()).isEqualTo(202);
    assertThat(node.isAlive()).as("the node survived the flood").isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(output).doesNotContain("OutOfMemoryError");

    java.util.Arrays.sort(latencies);
    System.out.println(
        String.format(
            Locale.ROOT,
            "overload: -Xmx%dm node, %d clients sent %d jobs of %,d items and %d of 10^10 items:"
                + " answers %s; %d accepted ran to the exact result; answer time median %.0f ms,"
                + " p99 %.0f ms, max %.0f ms; peak heap in use %.0f MiB",
            HEAP_MB,
            CLIENTS,
            FLOOD,
            ITEMS_PER_JOB,
            HUGE,
            counts,
            accepted.size(),
            latencies[latencies.length / 2] / 1e6,
            latencies[latencies.length * 99 / 100] / 1e6,
            latencies[latencies.length - 1] / 1e6,
            peakHeap.get() / 1048576.0));
  }

  /** Sums the heap pools' bytes in use from the node's Prometheus metrics. */
  private long heapUsed(String base) throws Exception {
    double used = 0;
    for (String line : LocalCluster.getResponse(base + "/metrics").body().split("\n")) {
      Matcher m = HEAP_USED.matcher(line);
      if (m.matches()) {
        used += Double.parseDouble(m.group(1));
      }
    }
    return (long) used;
  }

  private static int freePort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}
