package io.troupe.cluster.internal;

import com.typesafe.config.Config;
import io.troupe.actors.Backoff;
import io.troupe.sdk.PipelineUsageException;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * How jobs run, read once from {@code troupe.jobs} and {@code troupe.pipelines} (documented in
 * {@code reference.conf}).
 */
public final class JobSettings {

  /** Config path of the dispatcher job workers run on (derived from workers-per-node). */
  public static final String WORKER_DISPATCHER = "troupe.jobs.worker-dispatcher";

  private final int workersPerNode;
  private final int maxInFlightPerWorker;
  private final Duration workerQueueTarget;
  private final int workerQueueMaxItems;
  private final int maxAttempts;
  private final long maxItems;
  private final boolean checkResultsAlways;
  private final Duration itemTimeout;
  private final Duration leaveTimeout;
  private final Duration handOverTimeout;
  private final Duration retryMin;
  private final Duration retryMax;
  private final Backoff workerBackoff;
  private final int ledgerMaxBatch;
  private final Duration batchTarget;
  private final int batchMaxItems;
  private final Duration ledgerWriteTimeout;
  private final Duration ledgerFlushInterval;
  private final int ledgerMaxUnwritten;
  private final int ledgerMaxWriteFailures;
  private final Duration hostHeartbeat;
  private final Duration completedRetention;
  private final String workerRole;
  private final PipelineSettings pipelines;

  private JobSettings(Config jobs, Config node, PipelineSettings pipelines) {
    this.pipelines = pipelines;
    this.workersPerNode =
        "auto".equals(jobs.getValue("workers-per-node").unwrapped())
            ? Runtime.getRuntime().availableProcessors()
            : jobs.getInt("workers-per-node");
    this.maxInFlightPerWorker = jobs.getInt("max-in-flight-per-worker");
    this.workerQueueTarget = jobs.getDuration("worker-queue.target");
    this.workerQueueMaxItems = jobs.getInt("worker-queue.max-items");
    this.maxAttempts = jobs.getInt("max-attempts");
    this.maxItems = jobs.getLong("max-items");
    String check = jobs.getString("check-results");
    require(
        check.equals("remote") || check.equals("always"),
        "troupe.jobs.check-results must be \"remote\" or \"always\", was \"" + check + "\"");
    this.checkResultsAlways = check.equals("always");
    this.itemTimeout = jobs.getDuration("item-timeout");
    this.leaveTimeout = jobs.getDuration("leave-timeout");
    this.handOverTimeout = jobs.getDuration("hand-over-timeout");
    this.retryMin = jobs.getDuration("retry-backoff.min");
    this.retryMax = jobs.getDuration("retry-backoff.max");
    this.workerBackoff = Backoff.fromConfig(jobs.getConfig("worker-backoff"));
    this.ledgerMaxBatch = jobs.getInt("ledger.max-batch");
    this.batchTarget = jobs.getDuration("batch.target");
    this.batchMaxItems = jobs.getInt("batch.max-items");
    this.ledgerWriteTimeout = jobs.getDuration("ledger.write-timeout");
    this.ledgerFlushInterval = jobs.getDuration("ledger.flush-interval");
    this.ledgerMaxUnwritten = jobs.getInt("ledger.max-unwritten");
    this.ledgerMaxWriteFailures = jobs.getInt("ledger.max-write-failures");
    this.hostHeartbeat = jobs.getDuration("host-heartbeat");
    this.completedRetention = jobs.getDuration("completed-retention");
    this.workerRole = node.getString("worker-role");
    require(workersPerNode >= 1, "troupe.jobs.workers-per-node must be \"auto\" or >= 1");
    require(maxInFlightPerWorker >= 1, "troupe.jobs.max-in-flight-per-worker must be >= 1");
    require(
        !workerQueueTarget.isNegative(), "troupe.jobs.worker-queue.target must not be negative");
    require(workerQueueMaxItems >= 1, "troupe.jobs.worker-queue.max-items must be >= 1");
    require(maxAttempts >= 1, "troupe.jobs.max-attempts must be >= 1");
    require(maxItems >= 1, "troupe.jobs.max-items must be >= 1");
    require(!itemTimeout.isNegative() && !itemTimeout.isZero(), "troupe.jobs.item-timeout > 0");
    require(!leaveTimeout.isNegative(), "troupe.jobs.leave-timeout >= 0");
    require(!handOverTimeout.isNegative(), "troupe.jobs.hand-over-timeout >= 0");
    require(retryMax.compareTo(retryMin) >= 0, "troupe.jobs.retry-backoff.max must be >= min");
    require(!batchTarget.isNegative(), "troupe.jobs.batch.target must not be negative");
    require(batchMaxItems >= 1, "troupe.jobs.batch.max-items must be >= 1");
    require(ledgerMaxBatch >= 1, "troupe.jobs.ledger.max-batch must be >= 1");
    require(
        ledgerMaxUnwritten >= ledgerMaxBatch,
        "troupe.jobs.ledger.max-unwritten must be >= troupe.jobs.ledger.max-batch");
    require(ledgerMaxWriteFailures >= 1, "troupe.jobs.ledger.max-write-failures must be >= 1");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * Reads the settings from a resolved config.
   *
   * @param config the full config
   * @return the settings
   * @throws IllegalArgumentException if a value is out of range
   */
  public static JobSettings create(Config config) {
    return new JobSettings(
        config.getConfig("troupe.jobs"),
        config.getConfig("troupe.node"),
        PipelineSettings.create(config));
  }

  /** Returns how much work a worker should have queued when its items are quick. */
  public Duration workerQueueTarget() {
    return workerQueueTarget;
  }

  /** Returns the most items a worker holds at once when its items are quick. */
  public int workerQueueMaxItems() {
    return workerQueueMaxItems;
  }

  /** Returns how much work one batch of items should hold. */
  public Duration batchTarget() {
    return batchTarget;
  }

  /** Returns the most items in one batch. */
  public int batchMaxItems() {
    return batchMaxItems;
  }

  /** Returns true if results are checked for crossing nodes even when they stay on one. */
  public boolean checkResultsAlways() {
    return checkResultsAlways;
  }

  /** Returns the most items one job may have. */
  public long maxItems() {
    return maxItems;
  }

  /**
   * Refuses a job whose pipeline tells from its options that it would plan more items than {@link
   * #maxItems()}; planning it would fill the coordinator's heap.
   *
   * @param parsed the job's parsed pipeline
   * @throws PipelineUsageException naming the count and the setting
   */
  public void checkPlanSize(ParsedPipeline parsed) {
    long planned = parsed.planSize();
    if (planned > maxItems) {
      throw new PipelineUsageException(tooManyItems(parsed.pipeline().name(), planned));
    }
  }

  /**
   * Returns the one-line reason a job of {@code planned} items is refused.
   *
   * @param pipeline the pipeline's name
   * @param planned the items it would have
   * @return the reason
   */
  public String tooManyItems(String pipeline, long planned) {
    return String.format(
        java.util.Locale.ROOT,
        "%s would plan %,d items, more than troupe.jobs.max-items (%,d) allows; use larger"
            + " items (a bigger segment, batch, tile or chunk) or raise the setting",
        pipeline,
        planned,
        maxItems);
  }

  /** Reads the settings of a running system. */
  public static JobSettings create(ActorSystem<?> system) {
    return create(system.settings().config());
  }

  /** Returns the configured workers per node. */
  public int workersPerNode() {
    return workersPerNode;
  }

  /** Returns the items one worker may hold at once. */
  public int maxInFlightPerWorker() {
    return maxInFlightPerWorker;
  }

  /** Returns the attempts per item before it is quarantined. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Returns how long an item may stay unanswered before it counts as failed. */
  public Duration itemTimeout() {
    return itemTimeout;
  }

  /** Returns how long a leaving node's job host waits for the items under way to finish. */
  public Duration leaveTimeout() {
    return leaveTimeout;
  }

  /** Returns how long a leaving node's job coordinator waits for its batches' answers. */
  public Duration handOverTimeout() {
    return handOverTimeout;
  }

  /**
   * Returns the delay before retrying an item that failed {@code failures} times.
   *
   * @param failures failed attempts so far; at least 1
   * @return the delay, doubling per failure between the configured bounds
   */
  public Duration retryDelay(int failures) {
    long millis = retryMin.toMillis() << Math.min(20, Math.max(0, failures - 1));
    return Duration.ofMillis(Math.min(millis, retryMax.toMillis()));
  }

  /** Returns the restart backoff of a worker that threw. */
  public Backoff workerBackoff() {
    return workerBackoff;
  }

  /** Returns how many unwritten outcomes stop new hand-outs until the ledger catches up. */
  public int ledgerMaxUnwritten() {
    return ledgerMaxUnwritten;
  }

  /** Returns how many ledger writes in a row may fail before the job fails. */
  public int ledgerMaxWriteFailures() {
    return ledgerMaxWriteFailures;
  }

  /** Returns the most outcomes in one ledger write. */
  public int ledgerMaxBatch() {
    return ledgerMaxBatch;
  }

  /** Returns how long to wait for a ledger write before resending it. */
  public Duration ledgerWriteTimeout() {
    return ledgerWriteTimeout;
  }

  /** Returns the longest an outcome waits to be written together with others. */
  public Duration ledgerFlushInterval() {
    return ledgerFlushInterval;
  }

  /** Returns how often hosts re-announce themselves. */
  public Duration hostHeartbeat() {
    return hostHeartbeat;
  }

  /** Returns how long a finished coordinator stays in memory. */
  public Duration completedRetention() {
    return completedRetention;
  }

  /** Returns what jobs may do on this node ({@code troupe.pipelines}). */
  public PipelineSettings pipelines() {
    return pipelines;
  }

  /**
   * Parses a job's arguments under this node's confinement.
   *
   * @param pipeline the pipeline
   * @param args its arguments
   * @return the pipeline with parsed options
   * @throws PipelineUsageException if the arguments are wrong or reach outside the confinement
   */
  public ParsedPipeline parse(
      io.troupe.sdk.Pipeline<?, ?, ?> pipeline, java.util.List<String> args) {
    return ParsedPipeline.parse(pipeline, args, pipelines.confinement());
  }

  /** Returns the role a node needs to host workers, or "" for every node. */
  public String workerRole() {
    return workerRole;
  }
}
