package io.troupe.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.persistence.internal.LedgerEvent;
import io.troupe.persistence.internal.LedgerProtocol;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.QuarantinedItem;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.internal.ResultJson;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A job coordinator once every item is completed or quarantined and written (internal API): it runs
 * the pipeline's last step, takes the accumulator from the ledger, renders the result on the
 * blocking dispatcher (a picture's assembly and encoding never runs in an actor), and closes the
 * job in the ledger with it.
 *
 * <p>Implementation notes: a failed last step is retried with the items' backoff, up to {@code
 * max-attempts}; a result step that throws fails the job. The ledger's accumulator is only read
 * here: a last step's partial merges into a copy.
 */
final class Closing extends Phase {

  private final RunCounts.Summary summary;
  private final List<ActorRef<JobHost.Command>> hosts;
  private int finishAttempts;
  private TroupeMessage finalPartial;

  private Closing(
      Coordination job, RunCounts.Summary summary, List<ActorRef<JobHost.Command>> hosts) {
    super(job);
    this.summary = summary;
    this.hosts = hosts;
    job.showWindingDown(summary.counts());
  }

  /**
   * Closes a job whose items are all completed or quarantined and written.
   *
   * @param job the coordinator
   * @param summary the run's counts
   * @param hosts the job's hosts, stopped once the job is closed
   * @return the behavior
   */
  static Behavior<JobCoordinator.Command> start(
      Coordination job, RunCounts.Summary summary, Iterable<ActorRef<JobHost.Command>> hosts) {
    List<ActorRef<JobHost.Command>> all = new java.util.ArrayList<>();
    hosts.forEach(all::add);
    job.endNanos = System.nanoTime();
    job.status.refresh();
    Closing closing = new Closing(job, summary, all);
    return closing.runLastStep();
  }

  @Override
  public Receive<JobCoordinator.Command> createReceive() {
    return common(
            newReceiveBuilder()
                .onMessage(CoordinatorMessages.Finished.class, this::onFinished)
                .onMessageEquals(CoordinatorMessages.RetryFinish.INSTANCE, this::runLastStep)
                .onMessage(CoordinatorMessages.Accumulated.class, this::onAccumulated)
                .onMessage(CoordinatorMessages.Rendered.class, this::onRendered)
                .onMessage(CoordinatorMessages.Closed.class, this::onClosed)
                // Too late to cancel: answered with the outcome once the job is closed.
                .onMessage(JobCoordinator.Cancel.class, this::stashIt)
                .onMessage(JobCoordinator.Start.class, this::onStartWhileRunning)
                .onMessage(JobCoordinator.Resume.class, this::onResumeWhileRunning))
        .build();
  }

  @Override
  Iterable<ActorRef<JobHost.Command>> hosts() {
    return hosts;
  }

  private Behavior<JobCoordinator.Command> stashIt(JobCoordinator.Cancel cancel) {
    job.stash.stash(cancel);
    return this;
  }

  private Behavior<JobCoordinator.Command> runLastStep() {
    finishAttempts++;
    Optional<CompletionStage<TroupeMessage>> step;
    try {
      step = job.parsed.finish(job.jobId, job.selfNode, getContext().getSystem());
    } catch (RuntimeException e) {
      getContext().getSelf().tell(new CoordinatorMessages.Finished(null, e));
      return this;
    }
    if (step.isEmpty()) {
      return takeAccumulator();
    }
    getContext().pipeToSelf(step.get(), CoordinatorMessages.Finished::new);
    return this;
  }

  private Behavior<JobCoordinator.Command> onFinished(CoordinatorMessages.Finished finished) {
    if (finished.error() != null) {
      if (finishAttempts >= job.settings.maxAttempts()) {
        return fail(
            "the last step of job "
                + job.jobId
                + " failed: "
                + CoordinatorMessages.describe(finished.error()));
      }
      getContext()
          .getLog()
          .warn(
              "The last step of job [{}] failed (attempt {}), retrying: {}",
              job.jobId,
              finishAttempts,
              finished.error().toString());
      job.timers.startSingleTimer(
          CoordinatorMessages.RetryFinish.INSTANCE, job.settings.retryDelay(finishAttempts));
      return this;
    }
    finalPartial = finished.partial();
    return takeAccumulator();
  }

  private Behavior<JobCoordinator.Command> takeAccumulator() {
    getContext()
        .ask(
            CoordinatorMessages.<LedgerProtocol.Accumulated>statusReply(),
            job.ledger,
            Duration.ofMinutes(5),
            LedgerProtocol.GetAccumulated::new,
            CoordinatorMessages.Accumulated::new);
    return this;
  }

  private Behavior<JobCoordinator.Command> onAccumulated(
      CoordinatorMessages.Accumulated accumulated) {
    if (accumulated.error() != null || accumulated.reply().isError()) {
      return fail(
          "closing job "
              + job.jobId
              + " failed: "
              + CoordinatorMessages.why(accumulated.reply(), accumulated.error()));
    }
    LedgerProtocol.Accumulated a = accumulated.reply().getValue();
    TroupeMessage last = finalPartial;
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(
                () -> render(a.logic(), a.accumulator(), last, a.quarantined()), job.blocking),
            CoordinatorMessages.Rendered::new);
    return this;
  }

  /** Renders the result; runs on the blocking dispatcher and only reads the accumulator. */
  static CoordinatorMessages.RunResult render(
      Combiner<TroupeMessage> logic,
      TroupeMessage accumulator,
      TroupeMessage finalPartial,
      List<QuarantinedItem> quarantined) {
    TroupeMessage all =
        finalPartial == null ? accumulator : logic.merge(logic.copy(accumulator), finalPartial);
    JsonNode result = ResultJson.render(logic.result(all, quarantined));
    if (!quarantined.isEmpty()
        && result instanceof ObjectNode object
        && !object.has("quarantined")) {
      // DESIGN: result.quarantined lists {item, reason} for every job, whatever its pipeline.
      ArrayNode list = object.putArray("quarantined");
      quarantined.forEach(q -> list.addObject().put("item", q.item()).put("reason", q.reason()));
    }
    return new CoordinatorMessages.RunResult(
        quarantined.isEmpty() ? "completed" : "completed_with_failures", result);
  }

  private Behavior<JobCoordinator.Command> onRendered(CoordinatorMessages.Rendered rendered) {
    if (rendered.error() != null) {
      // A bug in a pipeline's result step, or a result Jackson cannot render, fails its job.
      return fail(
          "closing job "
              + job.jobId
              + " failed: the pipeline's result step threw "
              + CoordinatorMessages.describe(rendered.error()));
    }
    JsonNode report =
        RunReport.of(
                job.meters, job.live, summary, job.endNanos - job.startNanos, job.stayingOutJson())
            .toJson();
    CoordinatorMessages.RunResult result = rendered.result();
    getContext()
        .ask(
            CoordinatorMessages.<LedgerEvent.JobCompleted>statusReply(),
            job.ledger,
            Duration.ofMinutes(5),
            r -> new LedgerProtocol.Close(result.status(), result.result(), report, r),
            CoordinatorMessages.Closed::new);
    return this;
  }

  private Behavior<JobCoordinator.Command> onClosed(CoordinatorMessages.Closed closed) {
    if (closed.error() != null || closed.reply().isError()) {
      return fail(
          "closing job "
              + job.jobId
              + " failed: "
              + CoordinatorMessages.why(closed.reply(), closed.error()));
    }
    LedgerEvent.JobCompleted outcome = closed.reply().getValue();
    getContext().getLog().info("Job [{}] {}", job.jobId, outcome.status());
    return Over.done(job, outcome, summary.counts(), hosts);
  }
}
