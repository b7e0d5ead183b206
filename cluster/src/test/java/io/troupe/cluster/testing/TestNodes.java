package io.troupe.cluster.testing;

import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.http.NodeHttp;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.persistence.JobSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Embedded single-node Troupe clusters for the tests of this module and of {@code examples}
 * (through this module's test jar): a node started from a few lines of HOCON on top of the shipped
 * defaults, with the pipelines on the test class path, Up before the test uses it.
 *
 * <pre>{@code
 * @TempDir static Path dir;
 * private TroupeNode node;
 *
 * @BeforeAll
 * void start() throws Exception {
 *   node = TestNodes.startUp("my-test", TestNodes.h2Ledger(dir.resolve("ledger")));
 * }
 *
 * @AfterAll
 * void stop() {
 *   TestNodes.close(node);
 * }
 * }</pre>
 */
public final class TestNodes {

  /** How long {@link #startUp(String, String)} waits for the node to be Up. */
  public static final Duration UP_WITHIN = Duration.ofSeconds(30);

  /** Settings that put a node's HTTP endpoint on a free port of 127.0.0.1: {@link #serveHttp}. */
  public static final String HTTP_ON_FREE_PORT =
      "pekko.management.http.hostname = 127.0.0.1\npekko.management.http.port = 0\n";

  /** Settings of two workers whose failed items and crashed workers are retried within 40 ms. */
  public static final String QUICK_RETRIES =
      "troupe.jobs { workers-per-node = 2, retry-backoff { min = 10ms, max = 40ms } }\n"
          + "troupe.jobs.worker-backoff { min-backoff = 10ms, max-backoff = 40ms }\n";

  private TestNodes() {}

  /**
   * Returns the settings of a ledger (and journal) in an H2 file, as {@code troupe run} keeps it.
   *
   * @param file the database file, without H2's suffix
   * @return one line of HOCON
   */
  public static String h2Ledger(Path file) {
    return "troupe.persistence.h2.file = \"" + file + "\"\n";
  }

  /**
   * Starts a node that forms a cluster of its own, with the pipelines {@link Pipelines#load()}
   * finds, and waits at most {@link #UP_WITHIN} until it is Up.
   *
   * @param name the actor system's name
   * @param settings HOCON over the shipped defaults
   * @return the node, Up; the test closes it
   * @throws Exception if it does not start or is not Up in time (it is closed then)
   */
  public static TroupeNode startUp(String name, String settings) throws Exception {
    return startUp(name, settings, UP_WITHIN);
  }

  /**
   * Starts a node as {@link #startUp(String, String)} does, waiting as long as given.
   *
   * @param name the actor system's name
   * @param settings HOCON over the shipped defaults
   * @param within how long to wait for the node to be Up
   * @return the node, Up; the test closes it
   * @throws Exception if it does not start or is not Up in time (it is closed then)
   */
  public static TroupeNode startUp(String name, String settings, Duration within) throws Exception {
    TroupeNode node =
        TroupeNode.start(
            name,
            ConfigFactory.parseString(settings),
            Pipelines.load(),
            TroupeNode.Membership.SELF);
    try {
      node.whenUp().toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      node.close();
      throw e;
    }
    return node;
  }

  /**
   * Starts a node's HTTP API, on the address its settings give ({@link #HTTP_ON_FREE_PORT}).
   *
   * @return the port it listens on
   */
  public static int serveHttp(TroupeNode node) throws Exception {
    return NodeHttp.start(node)
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS)
        .localAddress()
        .getPort();
  }

  /**
   * Starts a job and waits until it is over, however it ended.
   *
   * @param node the node to start it on
   * @param job the job
   * @param within how long to wait for the node to accept it, and then for it to end
   * @return its final status
   */
  public static JobStatus run(TroupeNode node, JobSpec job, Duration within) throws Exception {
    node.jobs().start(job).toCompletableFuture().get(within.toMillis(), TimeUnit.MILLISECONDS);
    return awaitCompletion(node, job.jobId(), within);
  }

  /**
   * Waits until a started or resumed job is over, however it ended.
   *
   * @param node a node of the job's cluster
   * @param jobId the job's id
   * @param within how long to wait
   * @return its final status
   */
  public static JobStatus awaitCompletion(TroupeNode node, String jobId, Duration within)
      throws Exception {
    return node.jobs()
        .awaitCompletion(jobId, within)
        .toCompletableFuture()
        .get(within.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Closes the nodes a test started, skipping those it did not get to start; every one is closed
   * even if closing another failed.
   */
  public static void close(TroupeNode... nodes) {
    RuntimeException failure = null;
    for (TroupeNode node : nodes) {
      if (node == null) {
        continue;
      }
      try {
        node.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
