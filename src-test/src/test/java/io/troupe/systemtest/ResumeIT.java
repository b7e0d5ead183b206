package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.persistence.testing.PostgresDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code troupe run} killed with SIGKILL at several points of a long job, then {@code --resume}d,
 * gives the exact uninterrupted result: on the default H2 ledger and on PostgreSQL.
 */
final class ResumeIT {

  /** pi(10^10) and the largest prime below 10^10. */
  private static final long PI_10_10 = 455_052_511L;

  private static final long LARGEST = 9_999_999_967L;
  private static final Pattern JOB = Pattern.compile("--resume (\\S+)\\)");
  private static final Pattern ITEMS = Pattern.compile("has (\\d+) item\\(s\\)");
  private static final Pattern WRITTEN = Pattern.compile("first outcomes are in its ledger");

  @TempDir Path dir;

  /**
   * Where the run is killed: early (the first items done or in flight), in the middle, and with a
   * snapshot after almost every write (so the kill lands in one), on each ledger. CI runs each
   * point once, on one ledger or the other; {@code -Dresume.all=true} runs all six.
   */
  static Stream<Arguments> kills() {
    List<Arguments> all =
        List.of(
            Arguments.of("h2", 700L, 1000),
            Arguments.of("h2", 3500L, 1000),
            Arguments.of("h2", 2000L, 2),
            Arguments.of("postgres", 700L, 1000),
            Arguments.of("postgres", 3500L, 1000),
            Arguments.of("postgres", 2000L, 2));
    return Boolean.getBoolean("resume.all")
        ? all.stream()
        : Stream.of(all.get(0), all.get(4), all.get(5));
  }

  @ParameterizedTest(name = "{0} ledger, killed {1} ms into the job, snapshot every {2} events")
  @MethodSource("kills")
  void killedRun_resumes_withTheExactResult(String journal, long killAfterMs, int snapshotEvery)
      throws Exception {
    PostgresDatabase db = journal.equals("postgres") ? PostgresDatabase.createOrSkip() : null;
    try {
      // H2: troupe run keeps each job's ledger in data/runs/<job> under the working directory.
      String persistence = db != null ? db.hocon() : "";
      Path config =
          Files.writeString(
              dir.resolve("run.conf"),
              persistence + "\ntroupe.persistence.ledger.snapshot-every = " + snapshotEvery + "\n");
      String[] job = {
        "run",
        "primes",
        "--limit",
        "10000000000",
        "--segment",
        "4000000",
        "--config",
        config.toString(),
        "--format",
        "json"
      };

      Path err = dir.resolve("killed-stderr.txt");
      Process p =
          TroupeProcess.start(
              dir,
              List.of(),
              Map.of(),
              dir.resolve("killed-stdout.txt"),
              err,
              concat(job, "--verbose"));
      AtomicText log = new AtomicText(err);
      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> ITEMS.matcher(log.read()).find() || !p.isAlive());
      assertThat(p.isAlive()).as("the job started; stderr: %s", log.read()).isTrue();
      // Killed only once some outcomes are durable, so the resumed run must skip them.
      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> WRITTEN.matcher(log.read()).find() || !p.isAlive());
      assertThat(p.isAlive()).as("outcomes were written; stderr: %s", log.read()).isTrue();
      Thread.sleep(killAfterMs); // the point of the job to kill it at
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no clean stop of the ledger
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      Matcher id = JOB.matcher(log.read());
      assertThat(id.find()).as("the job id is printed early: %s", log.read()).isTrue();

      TroupeProcess.Result resumed =
          TroupeProcess.run(
              dir,
              "run",
              "primes",
              "--resume",
              id.group(1),
              "--config",
              config.toString(),
              "--format",
              "json");

      assertThat(resumed.exitCode()).as(resumed.stderr()).isZero();
      JsonNode out = resumed.json();
      assertThat(out.path("status").asText()).isEqualTo("completed");
      assertThat(out.path("result").path("count").asLong()).isEqualTo(PI_10_10);
      assertThat(out.path("result").path("largest").asLong()).isEqualTo(LARGEST);
      JsonNode report = out.path("report");
      long items = report.path("items").asLong();
      long resumedItems = report.path("itemsResumed").asLong();
      long processedNow = report.path("stages").path(0).path("items").asLong();
      assertThat(report.has("itemsRedone")).as("report: %s", report).isTrue();
      assertThat(resumedItems)
          .as("the resumed run skipped what the ledger had: %s", report)
          .isPositive();
      assertThat(resumedItems + processedNow)
          .as("every item was completed exactly once over both runs: %s", report)
          .isEqualTo(items);
      assertThat(report.path("itemsRedone").asLong()).isBetween(0L, processedNow);
      System.out.printf(
          "%s, killed %d ms in: %d of %d items resumed, %d redone%n",
          journal, killAfterMs, resumedItems, items, report.path("itemsRedone").asLong());
    } finally {
      if (db != null) {
        db.close();
      }
    }
  }

  private static String[] concat(String[] head, String... tail) {
    String[] all = new String[head.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  /** A file another process appends to, read whole each time. */
  private record AtomicText(Path file) {
    String read() throws java.io.IOException {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
  }
}
