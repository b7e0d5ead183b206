package io.troupe.cluster.internal;

import io.troupe.persistence.internal.LedgerProtocol;
import io.troupe.sdk.ItemPlan;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The first phase of a job coordinator (internal API): recover the job's ledger and, if the job is
 * unfinished, rebuild its item book from it, on the blocking dispatcher; every other message waits
 * in the stash meanwhile.
 */
final class Recovering extends Phase {

  private LedgerProtocol.Recovered recovered;

  private Recovering(Coordination job) {
    super(job);
  }

  /**
   * Starts a coordinator: asks its ledger for the job's state.
   *
   * @param job the coordinator
   * @return the behavior
   */
  static Behavior<JobCoordinator.Command> start(Coordination job) {
    job.ctx.ask(
        LedgerProtocol.Recovered.class,
        job.ledger,
        Duration.ofMinutes(5),
        LedgerProtocol.GetState::new,
        CoordinatorMessages.Recovered::new);
    return new Recovering(job);
  }

  @Override
  public Receive<JobCoordinator.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(CoordinatorMessages.Recovered.class, this::onRecovered)
        .onMessage(CoordinatorMessages.BookReady.class, this::onBookReady)
        .onMessageEquals(CoordinatorMessages.Passivate.INSTANCE, () -> stopped())
        .onMessage(JobCoordinator.Command.class, this::stashIt)
        .onSignal(org.apache.pekko.actor.typed.ChildFailed.class, f -> ledgerStopped(f.getCause()))
        .onSignal(org.apache.pekko.actor.typed.Terminated.class, t -> ledgerStopped(null))
        .build();
  }

  private Behavior<JobCoordinator.Command> stopped() {
    return org.apache.pekko.actor.typed.javadsl.Behaviors.stopped();
  }

  private Behavior<JobCoordinator.Command> stashIt(JobCoordinator.Command command) {
    job.stash.stash(command);
    return this;
  }

  private Behavior<JobCoordinator.Command> onRecovered(CoordinatorMessages.Recovered message) {
    if (message.error() != null) {
      return fail("the ledger of job " + job.jobId + " did not answer: " + message.error());
    }
    LedgerProtocol.Recovered r = message.recovered();
    job.spec = r.spec();
    if (r.error() != null && r.outcome() == null) {
      return fail("cannot continue job " + job.jobId + ": " + r.error());
    }
    Over.Counts counts =
        new Over.Counts(
            r.progress().added(),
            r.progress().completed(),
            r.progress().quarantined(),
            r.progress().failedAttempts());
    if (r.outcome() != null) {
      return Over.done(job, r.outcome(), counts, java.util.List.of());
    }
    if (r.spec() == null) {
      return job.stash.unstashAll(Planning.idle(job));
    }
    try {
      job.parsed = job.parse(r.spec());
    } catch (RuntimeException e) {
      return fail("cannot continue job " + job.jobId + ": " + e.getMessage());
    }
    if (!r.indexed() && r.total() < r.planned()) {
      getContext()
          .getLog()
          .info(
              "Job [{}] has {} of its {} planned item(s) recorded; planning it again to record"
                  + " the rest",
              job.jobId,
              r.total(),
              r.planned());
      return job.stash.unstashAll(Planning.again(job));
    }
    recovered = r;
    ParsedPipeline parsed = job.parsed;
    getContext()
        .pipeToSelf(
            CompletableFuture.supplyAsync(() -> rebuild(parsed, r), job.blocking),
            CoordinatorMessages.BookReady::new);
    return this;
  }

  /** Rebuilds the item book; an indexed plan is made again and must have its old size. */
  private static ItemBook rebuild(ParsedPipeline parsed, LedgerProtocol.Recovered r) {
    ItemPlan<?> plan = null;
    if (r.indexed()) {
      try {
        plan = parsed.plan();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new CompletionException(e);
      }
      if (!plan.indexed() || plan.size() != r.planned()) {
        throw new IllegalStateException(
            "its plan changed: "
                + (plan.indexed() ? plan.size() + " indexed items" : "a listed plan")
                + " now, "
                + r.planned()
                + " indexed items when it was submitted");
      }
    }
    return new ItemBook(
        plan, r.stored(), r.storedIds(), r.storedFrom(), r.finished(), r.failures(), r.started());
  }

  private Behavior<JobCoordinator.Command> onBookReady(CoordinatorMessages.BookReady ready) {
    if (ready.error() != null) {
      return fail(
          "cannot continue job " + job.jobId + ": " + CoordinatorMessages.describe(ready.error()));
    }
    getContext()
        .getLog()
        .info(
            "Continuing job [{}] from its ledger: {} item(s) pending, {} completed",
            job.jobId,
            ready.book().pendingCount(),
            recovered.progress().completed());
    Behavior<JobCoordinator.Command> running =
        Running.start(job, ready.book(), recovered.progress());
    return job.stash.unstashAll(running);
  }
}
