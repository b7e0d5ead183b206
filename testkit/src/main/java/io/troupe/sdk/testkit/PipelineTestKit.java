package io.troupe.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.JobIds;
import io.troupe.cluster.internal.JobSettings;
import io.troupe.cluster.internal.ParsedPipeline;
import io.troupe.cluster.internal.PipelineSettings;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.persistence.JobSpec;
import io.troupe.sdk.Pipeline;
import io.troupe.sdk.PipelineUsageException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Runs a pipeline's jobs in a unit test, on an embedded single-node Troupe cluster: the same
 * sharded coordinator, workers and ledger as {@code troupe run} and a real cluster, with the ledger
 * in memory.
 *
 * <pre>{@code
 * try (PipelineTestKit kit = PipelineTestKit.start(new SquaresPipeline())) {
 *   JobResult job = kit.run("squares", "--n", "1000");
 *   assertEquals("completed", job.status());
 *   assertEquals(kit.sequential("squares", "--n", "1000"), job.result());
 * }
 * }</pre>
 *
 * <p>Every worker result is serialized as if it were sent to another node ({@code
 * troupe.jobs.check-results = always}), so a partial result or new item that could not cross nodes
 * fails its item here too, instead of only on a real cluster. Jobs are confined as under {@code
 * troupe run}: the working directory is their input and output root and loopback addresses are
 * allowed, unless the settings say otherwise ({@code troupe.pipelines}, see {@link
 * io.troupe.sdk.Confinement}). Start one kit per test class (starting a node takes a second or two)
 * and close it at the end.
 */
public final class PipelineTestKit implements AutoCloseable {

  /** How long {@link #run(String, String...)} waits for a job. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  private final TroupeNode node;
  private final Pipelines pipelines;
  private final JobSettings settings;

  private PipelineTestKit(TroupeNode node, Pipelines pipelines) {
    this.node = node;
    this.pipelines = pipelines;
    this.settings = JobSettings.create(node.system());
  }

  /**
   * Starts a node that runs the given pipelines, with two workers.
   *
   * @param pipelines the pipelines under test
   * @return the kit, with its node Up
   * @throws IllegalStateException if the node does not start within a minute
   */
  public static PipelineTestKit start(Pipeline<?, ?, ?>... pipelines) {
    return start(Map.of(), pipelines);
  }

  /**
   * Starts a node that runs the given pipelines, with settings of the test's own.
   *
   * @param settings Troupe or Pekko settings by key, e.g. {@code troupe.jobs.workers-per-node} or
   *     {@code troupe.jobs.max-attempts}; they win over the kit's defaults. A test that reads files
   *     outside the working directory lists their directory in {@code troupe.pipelines.input-roots}
   * @param pipelines the pipelines under test
   * @return the kit, with its node Up
   * @throws IllegalStateException if the node does not start within a minute
   */
  public static PipelineTestKit start(Map<String, ?> settings, Pipeline<?, ?, ?>... pipelines) {
    Objects.requireNonNull(settings, "settings");
    if (pipelines.length == 0) {
      throw new IllegalArgumentException("give the test kit at least one pipeline to run");
    }
    Pipelines registry = Pipelines.of(pipelines);
    Map<String, Object> defaults = new HashMap<>();
    defaults.put("troupe.persistence.journal", "memory");
    defaults.put("troupe.jobs.workers-per-node", 2);
    defaults.put("troupe.jobs.check-results", "always");
    defaults.put("troupe.metrics.enabled", "off");
    defaults.put("pekko.remote.artery.canonical.hostname", "127.0.0.1");
    defaults.put("pekko.remote.artery.canonical.port", 0);
    defaults.put("pekko.cluster.gossip-interval", "100ms");
    defaults.put("pekko.cluster.leader-actions-interval", "100ms");
    Config config =
        ConfigFactory.parseMap(settings)
            .withFallback(ConfigFactory.parseMap(defaults))
            .withFallback(PipelineSettings.LOCAL);
    TroupeNode node =
        TroupeNode.start("troupe-testkit", config, registry, TroupeNode.Membership.SELF);
    try {
      node.whenUp().toCompletableFuture().get(1, TimeUnit.MINUTES);
    } catch (ExecutionException | TimeoutException e) {
      node.close();
      throw new IllegalStateException("the test kit's node did not start: " + e, e);
    } catch (InterruptedException e) {
      node.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the test kit's node started", e);
    }
    return new PipelineTestKit(node, registry);
  }

  /**
   * Runs a job and waits for it to finish, at most {@link #DEFAULT_TIMEOUT}.
   *
   * @param pipeline the pipeline's name
   * @param args the pipeline's options
   * @return the finished job
   * @throws PipelineUsageException if the pipeline is unknown or its options are wrong
   * @throws IllegalStateException if the job does not finish in time
   */
  public JobResult run(String pipeline, String... args) {
    return run(pipeline, List.of(args), DEFAULT_TIMEOUT);
  }

  /**
   * Runs a job and waits for it to finish.
   *
   * @param pipeline the pipeline's name
   * @param args the pipeline's options
   * @param timeout how long to wait
   * @return the finished job
   * @throws PipelineUsageException if the pipeline is unknown or its options are wrong
   * @throws IllegalStateException if the job does not finish in time
   */
  public JobResult run(String pipeline, List<String> args, Duration timeout) {
    // Refused here, as troupe run refuses it, before anything starts.
    settings.parse(pipelines.get(pipeline), args);
    String job = JobIds.next(pipeline);
    JobStatus status;
    try {
      node.jobs()
          .start(new JobSpec(job, pipeline, List.copyOf(args)))
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      status =
          node.jobs()
              .awaitCompletion(job, timeout)
              .toCompletableFuture()
              .get(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("job " + job + " could not run: " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("job " + job + " did not finish within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for job " + job, e);
    }
    return new JobResult(
        job, pipeline, status.state(), status.result(), status.report(), status.error());
  }

  /**
   * Computes a pipeline's sequential reference, rendered as JSON as a job's result is, so the two
   * compare with {@code equals}.
   *
   * @param pipeline the pipeline's name
   * @param args the pipeline's options
   * @return the reference's result
   * @throws NoSuchElementException if the pipeline has no sequential reference
   * @throws Exception if the reference failed
   */
  public JsonNode sequential(String pipeline, String... args) throws Exception {
    ParsedPipeline parsed = settings.parse(pipelines.get(pipeline), List.of(args));
    parsed.prepare();
    return parsed
        .sequential()
        .orElseThrow(() -> new NoSuchElementException(pipeline + " has no sequential reference"));
  }

  /** Returns the node's actor system, for tests that talk to a pipeline's entities. */
  public ActorSystem<?> system() {
    return node.system();
  }

  /** Stops the node. */
  @Override
  public void close() {
    node.close();
  }
}
