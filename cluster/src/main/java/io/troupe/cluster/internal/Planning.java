package io.troupe.cluster.internal;

import io.troupe.cluster.JobStatus;
import io.troupe.persistence.internal.LedgerProtocol;
import io.troupe.sdk.ItemPlan;
import io.troupe.sdk.WorkItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/**
 * A job coordinator before its job runs (internal API): idle until a {@link JobCoordinator.Start}
 * arrives, then planning: the plan is made on the blocking dispatcher, checked, recorded in the
 * ledger, and the job runs.
 */
final class Planning extends Phase {

  private final boolean idle;
  private final List<ActorRef<StatusReply<JobStatus>>> cancelers = new ArrayList<>();
  private ItemBook book;

  private Planning(Coordination job, boolean idle) {
    super(job);
    this.idle = idle;
    if (idle) {
      job.status.of(() -> JobStatus.unknown(job.jobId), false);
    } else {
      String pipeline = job.spec.pipeline();
      job.status.of(
          () ->
              new JobStatus(
                  job.jobId, pipeline, JobStatus.STARTING, 0, 0, 0, 0, 0, null, null, null),
          false);
    }
  }

  /**
   * A coordinator whose ledger holds no job.
   *
   * @param job the coordinator
   * @return the behavior
   */
  static Behavior<JobCoordinator.Command> idle(Coordination job) {
    return new Planning(job, true);
  }

  /**
   * A coordinator whose ledger holds a listed plan recorded only in part (the previous coordinator
   * stopped while recording it): plans the job again and records the rest.
   *
   * @param job the coordinator, its spec and parsed pipeline set
   * @return the behavior
   */
  static Behavior<JobCoordinator.Command> again(Coordination job) {
    job.startNanos = System.nanoTime();
    Planning planning = new Planning(job, false);
    planning.planInBackground();
    return planning;
  }

  @Override
  public Receive<JobCoordinator.Command> createReceive() {
    return common(
            newReceiveBuilder()
                .onMessage(JobCoordinator.Start.class, this::onStart)
                .onMessage(JobCoordinator.Resume.class, this::onResume)
                .onMessage(JobCoordinator.Cancel.class, this::onCancel)
                .onMessage(CoordinatorMessages.BookReady.class, this::onPlanned)
                .onMessage(CoordinatorMessages.Submitted.class, this::onSubmitted))
        .build();
  }

  @Override
  Behavior<JobCoordinator.Command> onAwait(JobCoordinator.AwaitCompletion await) {
    if (idle) {
      await.replyTo().tell(job.status.now());
      return this;
    }
    return super.onAwait(await);
  }

  private Behavior<JobCoordinator.Command> onResume(JobCoordinator.Resume resume) {
    if (idle) {
      resume.replyTo().tell(StatusReply.error("there is no job " + job.jobId + " to resume"));
    } else {
      resumed(resume.replyTo());
    }
    return this;
  }

  /**
   * A job being planned is canceled once its plan is recorded (the plan is made in one call to the
   * pipeline, which cannot be stopped half-way); there is nothing to cancel on an idle one.
   */
  private Behavior<JobCoordinator.Command> onCancel(JobCoordinator.Cancel cancel) {
    if (idle) {
      cancel.replyTo().tell(StatusReply.error("there is no job " + job.jobId + " to cancel"));
    } else {
      cancelers.add(cancel.replyTo());
    }
    return this;
  }

  /** Fails the job; a cancel that waited for the plan is answered with how the job ended. */
  @Override
  Behavior<JobCoordinator.Command> fail(String why) {
    Behavior<JobCoordinator.Command> over = super.fail(why);
    cancelers.forEach(c -> getContext().getSelf().tell(new JobCoordinator.Cancel(c)));
    return over;
  }

  private Behavior<JobCoordinator.Command> onStart(JobCoordinator.Start start) {
    if (!idle) {
      if (job.spec.pipeline().equals(start.spec().pipeline())) {
        job.starters.add(start.replyTo());
      } else {
        confirm(start);
      }
      return this;
    }
    if (!start.spec().jobId().equals(job.jobId)) {
      start.replyTo().tell(StatusReply.error("job id does not match its coordinator"));
      return this;
    }
    ParsedPipeline parsed;
    try {
      parsed = job.parse(start.spec());
      job.settings.checkPlanSize(parsed);
    } catch (RuntimeException e) {
      start.replyTo().tell(StatusReply.error(e.getMessage()));
      return this;
    }
    job.parsed = parsed;
    job.spec = start.spec();
    job.startNanos = System.nanoTime();
    job.starters.add(start.replyTo());
    getContext()
        .getLog()
        .info("Planning job [{}] ({} {})", job.jobId, job.spec.pipeline(), job.spec.args());
    Planning planning = new Planning(job, false);
    job.recordInRegistry();
    planning.planInBackground();
    return planning;
  }

  /** Makes the plan on the blocking dispatcher; the book comes back as a BookReady. */
  private void planInBackground() {
    ParsedPipeline parsed = job.parsed;
    long maxItems = job.settings.maxItems();
    String pipeline = job.spec.pipeline();
    JobSettings settings = job.settings;
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(
                () -> plan(parsed, maxItems, settings, pipeline), job.blocking),
            CoordinatorMessages.BookReady::new);
  }

  /** Plans the job and builds its book; refuses a plan over the limit or with a duplicate id. */
  private static ItemBook plan(
      ParsedPipeline parsed, long maxItems, JobSettings settings, String pipeline) {
    ItemPlan<?> plan;
    try {
      plan = parsed.plan();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new CompletionException(e);
    }
    if (plan.size() > maxItems) {
      throw new Refused(settings.tooManyItems(pipeline, plan.size()));
    }
    if (!plan.indexed()) {
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < plan.size(); i++) {
        if (!ids.add(plan.item(i).id())) {
          throw new Refused("the pipeline produced the item id " + plan.item(i).id() + " twice");
        }
      }
    }
    return ItemBook.of(plan);
  }

  /** A plan the runtime refuses; its message says why in full. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private Behavior<JobCoordinator.Command> onPlanned(CoordinatorMessages.BookReady planned) {
    if (planned.error() != null) {
      Throwable cause =
          planned.error() instanceof CompletionException && planned.error().getCause() != null
              ? planned.error().getCause()
              : planned.error();
      return fail(
          "planning job "
              + job.jobId
              + " failed: "
              + (cause instanceof Refused
                  ? cause.getMessage()
                  : CoordinatorMessages.describe(cause)));
    }
    book = planned.book();
    List<WorkItem<?>> stored = new ArrayList<>();
    int storedFrom = book.storedFrom();
    for (int i = storedFrom; i < book.total(); i++) {
      stored.add(book.item(i));
    }
    int total = book.total();
    getContext()
        .ask(
            CoordinatorMessages.<LedgerProtocol.Progress>statusReply(),
            job.ledger,
            Duration.ofMinutes(5),
            r -> new LedgerProtocol.Submit(job.spec, total, stored, r),
            CoordinatorMessages.Submitted::new);
    return this;
  }

  private Behavior<JobCoordinator.Command> onSubmitted(CoordinatorMessages.Submitted submitted) {
    if (submitted.error() != null || submitted.reply().isError()) {
      return fail(
          "recording job "
              + job.jobId
              + " failed: "
              + CoordinatorMessages.why(submitted.reply(), submitted.error()));
    }
    getContext().getLog().info("Job [{}] has {} item(s)", job.jobId, book.total());
    Behavior<JobCoordinator.Command> running =
        Running.start(job, book, new LedgerProtocol.Progress(0, 0, 0, 0));
    job.answerStarters(job.starters, null);
    cancelers.forEach(c -> getContext().getSelf().tell(new JobCoordinator.Cancel(c)));
    return running;
  }
}
