package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Jobs on a {@link LocalCluster} through a node's HTTP API, for system tests: submit a job, read
 * its progress from a status, and wait for a status. The long primes job the kill tests break lives
 * here too, with its exact result.
 */
final class JobsApi {

  /** pi(10^10): how many primes there are up to ten billion, the result of the long job. */
  static final long PI_10_10 = 455_052_511L;

  /** The largest prime below ten billion. */
  static final long LARGEST_PRIME_BELOW_10_10 = 9_999_999_967L;

  private static final ObjectMapper JSON = new ObjectMapper();

  private JobsApi() {}

  /**
   * Submits a job with {@code POST /api/jobs} and checks that the node accepted it (202).
   *
   * @param entry the node to submit to
   * @param pipeline the pipeline's name
   * @param args the pipeline's options
   * @return the job's id
   */
  static String submit(LocalCluster.Node entry, String pipeline, String... args) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("pipeline", pipeline);
    ArrayNode options = body.putArray("args");
    for (String arg : args) {
      options.add(arg);
    }
    LocalCluster.Answer accepted = LocalCluster.post(entry.http + "/api/jobs", body.toString());
    assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(202);
    return accepted.body().path("job").asText();
  }

  /**
   * Submits primes up to 10^10 in segments of 4,000,000: 2,501 items, several seconds of work on
   * three nodes, long enough to kill a node in the middle. Its result is {@link #PI_10_10} and
   * {@link #LARGEST_PRIME_BELOW_10_10}.
   *
   * @return the job's id
   */
  static String submitLongPrimes(LocalCluster.Node entry) throws Exception {
    return submit(entry, "primes", "--limit", "10000000000", "--segment", "4000000");
  }

  /** Returns how many items a job's status counts (0 until the job is planned). */
  static long items(JsonNode status) {
    return status.path("progress").path("items").asLong();
  }

  /** Returns how many of a job's items are completed. */
  static long done(JsonNode status) {
    return status.path("progress").path("completed").asLong();
  }

  /**
   * Polls a job's status until it has items and satisfies {@code until}; returns that status. Polls
   * that fail or answer an error are retried: while a dead node is not yet downed, a status request
   * can wait on sharding (if Pekko's shard coordinator lived on that node).
   *
   * @param statusUrl the job's {@code /api/jobs/<id>} on some node
   * @param atMost how long to poll before the test fails
   * @param until what the status must show
   * @return the first status that showed it
   */
  static JsonNode awaitStatus(String statusUrl, Duration atMost, Predicate<JsonNode> until) {
    AtomicReference<JsonNode> seen = new AtomicReference<>();
    Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode s = LocalCluster.get(statusUrl).body();
              seen.set(s);
              return s != null && items(s) > 0 && until.test(s);
            });
    return seen.get();
  }

  /**
   * Waits (at most three minutes) until a job is completed, with or without failures, and checks
   * that it completed without any.
   *
   * @param statusUrl the job's {@code /api/jobs/<id>} on some node
   * @param context what the test was doing, for the failure message
   * @return the job's final status
   */
  static JsonNode awaitCompleted(String statusUrl, String context) {
    JsonNode done =
        awaitStatus(
            statusUrl,
            Duration.ofMinutes(3),
            s -> s.path("status").asText().startsWith("completed"));
    assertThat(done.path("status").asText()).as(context).isEqualTo("completed");
    return done;
  }
}
