package io.troupe.persistence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.persistence.JobSpec;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import io.troupe.sdk.internal.ResultJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A job's event-sourced ledger: the durable record of which items exist, which are done, and what
 * their partial results add up to.
 *
 * <p>Implementation notes: one ledger per job, persistence id {@code TroupeJob|<jobId>}, run as a
 * child of the job's coordinator, which is its only client. Commands are filtered before anything
 * is persisted: a completion or quarantine for an item that is not pending (already completed or
 * quarantined, or unknown) is dropped, and so are discovered items whose id the job already has.
 * That is what makes the effect on the result exactly once while delivery is at least once. A
 * {@link Record} persists all its surviving events in one atomic write, so the coordinator can
 * batch many completions into one database round trip. The accumulator lives only here; it is
 * merged in place and deep-copied for snapshots (every {@code snapshot-every} events), so recovery
 * loads the latest snapshot and replays a bounded tail. If the journal fails, the ledger restarts
 * with backoff and recovers; unanswered commands are the coordinator's to resend, which is safe
 * because of the filtering above.
 */
public final class JobLedger
    extends EventSourcedBehaviorWithEnforcedReplies<JobLedger.Command, LedgerEvent, LedgerState> {

  /** Messages the ledger understands. */
  public sealed interface Command {}

  /**
   * Records a new job with its initial items; replies with its {@link Progress}, or an error if the
   * id is taken by a job of another pipeline. Repeating the submission of the same job is harmless
   * and changes nothing.
   *
   * @param spec what the job runs
   * @param items its initial items, with distinct ids
   * @param replyTo where the answer goes
   */
  public record Submit(
      JobSpec spec, List<WorkItem<?>> items, ActorRef<StatusReply<Progress>> replyTo)
      implements Command {}

  /**
   * Asks for everything needed to (re)start dispatching; replies with {@link Recovered}.
   *
   * @param replyTo where the answer goes
   */
  public record GetState(ActorRef<Recovered> replyTo) implements Command {}

  /**
   * Records a batch of item outcomes in one atomic write; replies with {@link Recorded}.
   *
   * @param entries the outcomes, in the order they happened
   * @param replyTo where the answer goes
   */
  public record Record(List<Entry> entries, ActorRef<Recorded> replyTo) implements Command {}

  /**
   * Closes a job whose items are all completed or quarantined; replies with the outcome (the stored
   * one if the job was already closed), or an error if items are still pending.
   *
   * @param report the run report to keep with the outcome
   * @param finalPartial a last partial merged in for the result (gathered keyed state), or null
   * @param replyTo where the answer goes
   */
  public record Complete(
      JsonNode report,
      TroupeMessage finalPartial,
      ActorRef<StatusReply<LedgerEvent.JobCompleted>> replyTo)
      implements Command {}

  /** One item outcome in a {@link Record}. */
  public sealed interface Entry {
    /** Returns the item's id. */
    String item();
  }

  /**
   * The item was processed.
   *
   * @param item the item's id
   * @param partial its partial result
   * @param newItems items its worker discovered; those already known are dropped
   */
  public record Done(String item, TroupeMessage partial, List<WorkItem<?>> newItems)
      implements Entry {}

  /**
   * An attempt at the item failed and it will be retried.
   *
   * @param item the item's id
   * @param attempt the attempt that failed, from 1
   * @param reason exception class and message
   */
  public record Failed(String item, int attempt, String reason) implements Entry {}

  /**
   * The item's last attempt failed; it is given up on.
   *
   * @param item the item's id
   * @param attempts how many attempts were made
   * @param reason the last failure
   */
  public record GaveUp(String item, int attempts, String reason) implements Entry {}

  /**
   * The item was handed to a worker for the first time. Not an outcome: it lets a resumed job tell
   * the items it redoes. Never counted as ignored.
   *
   * @param item the item's id
   */
  public record Started(String item) implements Entry {}

  /**
   * Counters of a job's progress.
   *
   * @param added items ever added
   * @param completed items completed
   * @param quarantined items quarantined
   * @param failedAttempts failed attempts over all items
   */
  public record Progress(long added, long completed, long quarantined, long failedAttempts) {}

  /**
   * What the coordinator needs to dispatch after a (re)start.
   *
   * @param spec the job, or {@code null} if nothing was ever submitted under this id
   * @param pending items still to do, in the order they were added
   * @param failures failed attempts so far per pending item
   * @param finished ids of the items completed or quarantined
   * @param started ids of pending items an earlier run handed to a worker
   * @param progress the job's counters
   * @param outcome the outcome if the job is already closed, else {@code null}
   * @param error why the job cannot go on (its combine logic cannot be resolved), else {@code null}
   */
  public record Recovered(
      JobSpec spec,
      List<WorkItem<?>> pending,
      Map<String, Integer> failures,
      Set<String> finished,
      Set<String> started,
      Progress progress,
      LedgerEvent.JobCompleted outcome,
      String error) {}

  /**
   * The answer to a {@link Record}.
   *
   * @param accepted entries that changed the ledger
   * @param ignored entries dropped as duplicates or for unknown items
   */
  public record Recorded(int accepted, int ignored) {}

  /**
   * Creates the ledger of one job.
   *
   * @param jobId the job's id
   * @param settings snapshot interval and event sizes
   * @param logicFor resolves a job's combine logic from its spec (called on submit and recovery)
   * @return the ledger's behavior
   */
  public static Behavior<Command> create(
      String jobId,
      PersistenceSettings settings,
      Function<JobSpec, Combiner<TroupeMessage>> logicFor) {
    return new JobLedger(jobId, settings, logicFor);
  }

  /** Returns the persistence id of a job's ledger. */
  public static PersistenceId persistenceId(String jobId) {
    return PersistenceId.of("TroupeJob", jobId);
  }

  private final PersistenceSettings settings;
  private final Function<JobSpec, Combiner<TroupeMessage>> logicFor;

  private JobLedger(
      String jobId,
      PersistenceSettings settings,
      Function<JobSpec, Combiner<TroupeMessage>> logicFor) {
    super(
        persistenceId(jobId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.settings = Objects.requireNonNull(settings, "settings");
    this.logicFor = Objects.requireNonNull(logicFor, "logicFor");
  }

  @Override
  public LedgerState emptyState() {
    return new LedgerState(logicFor);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return settings.snapshotEvery() == 0
        ? RetentionCriteria.disabled()
        : RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
  }

  @Override
  public SnapshotAdapter<LedgerState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(LedgerState state) {
        return state.snapshot();
      }

      @Override
      public LedgerState fromJournal(Object from) {
        return LedgerState.restore((LedgerSnapshot) from, logicFor);
      }
    };
  }

  @Override
  public EventHandler<LedgerState, LedgerEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(LedgerState::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, LedgerEvent, LedgerState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Submit.class, this::onSubmit)
        .onCommand(GetState.class, this::onGetState)
        .onCommand(Record.class, this::onRecord)
        .onCommand(Complete.class, this::onComplete)
        .build();
  }

  private ReplyEffect<LedgerEvent, LedgerState> onSubmit(LedgerState state, Submit submit) {
    if (state.logicError() != null) {
      return Effect().reply(submit.replyTo(), StatusReply.error(state.logicError()));
    }
    if (state.spec() != null) {
      if (!state.spec().pipeline().equals(submit.spec().pipeline())) {
        return Effect()
            .reply(
                submit.replyTo(),
                StatusReply.error(
                    "job "
                        + submit.spec().jobId()
                        + " already exists for pipeline "
                        + state.spec().pipeline()));
      }
      return Effect().reply(submit.replyTo(), StatusReply.success(progress(state)));
    }
    Set<String> ids = new HashSet<>();
    for (WorkItem<?> item : submit.items()) {
      if (!ids.add(item.id())) {
        return Effect()
            .reply(
                submit.replyTo(),
                StatusReply.error("the pipeline produced the item id " + item.id() + " twice"));
      }
    }
    List<LedgerEvent> events = new ArrayList<>();
    events.add(new LedgerEvent.JobSubmitted(submit.spec()));
    List<WorkItem<?>> items = submit.items();
    for (int from = 0; from < items.size(); from += settings.itemsPerEvent()) {
      int to = Math.min(items.size(), from + settings.itemsPerEvent());
      events.add(new LedgerEvent.ItemsAdded(List.copyOf(items.subList(from, to))));
    }
    return Effect()
        .persist(events)
        .thenReply(submit.replyTo(), s -> StatusReply.success(progress(s)));
  }

  private ReplyEffect<LedgerEvent, LedgerState> onGetState(LedgerState state, GetState get) {
    return Effect()
        .reply(
            get.replyTo(),
            new Recovered(
                state.spec(),
                List.copyOf(state.pending().values()),
                Map.copyOf(state.failures()),
                Set.copyOf(state.finished()),
                Set.copyOf(state.started()),
                progress(state),
                state.outcome(),
                state.logicError()));
  }

  private ReplyEffect<LedgerEvent, LedgerState> onRecord(LedgerState state, Record record) {
    List<LedgerEvent> events = new ArrayList<>();
    Set<String> finishedNow = new HashSet<>();
    Set<String> addedNow = new HashSet<>();
    Map<String, Integer> failedNow = new HashMap<>();
    List<String> startedNow = new ArrayList<>();
    int ignored = 0;
    int starts = 0;
    for (Entry entry : record.entries()) {
      if (entry instanceof Started s) {
        starts++;
        if (state.spec() != null
            && state.outcome() == null
            && (state.isPending(s.item()) || addedNow.contains(s.item()))
            && !state.started().contains(s.item())) {
          startedNow.add(s.item());
        }
        continue;
      }
      // Items added earlier in this same batch are pending too: their events are not applied yet.
      boolean pending =
          (state.isPending(entry.item()) || addedNow.contains(entry.item()))
              && !finishedNow.contains(entry.item());
      if (state.spec() == null
          || state.logicError() != null
          || state.outcome() != null
          || !pending) {
        ignored++;
        continue;
      }
      if (entry instanceof Done done) {
        finishedNow.add(done.item());
        events.add(new LedgerEvent.ItemCompleted(done.item(), done.partial()));
        List<WorkItem<?>> fresh = new ArrayList<>();
        for (WorkItem<?> item : done.newItems()) {
          if (!state.isKnown(item.id()) && addedNow.add(item.id())) {
            fresh.add(item);
          }
        }
        if (!fresh.isEmpty()) {
          events.add(new LedgerEvent.ItemsAdded(fresh));
        }
      } else if (entry instanceof Failed failed) {
        // A batch resent after a write that timed out but went through carries attempts the
        // ledger already counts; counting them again would quarantine the item early.
        int counted =
            state.failures().getOrDefault(failed.item(), 0)
                + failedNow.getOrDefault(failed.item(), 0);
        if (failed.attempt() <= counted) {
          ignored++;
          continue;
        }
        failedNow.merge(failed.item(), 1, Integer::sum);
        events.add(new LedgerEvent.ItemFailed(failed.item(), failed.attempt(), failed.reason()));
      } else if (entry instanceof GaveUp gaveUp) {
        finishedNow.add(gaveUp.item());
        events.add(
            new LedgerEvent.ItemQuarantined(gaveUp.item(), gaveUp.attempts(), gaveUp.reason()));
      }
    }
    if (!startedNow.isEmpty()) {
      // After the outcomes of the same batch: items it adds are known by then, and one it
      // completes is no longer pending, so it is not marked started.
      events.add(new LedgerEvent.ItemsStarted(startedNow));
    }
    Recorded answer = new Recorded(record.entries().size() - ignored - starts, ignored);
    if (events.isEmpty()) {
      return Effect().reply(record.replyTo(), answer);
    }
    return Effect().persist(events).thenReply(record.replyTo(), s -> answer);
  }

  private ReplyEffect<LedgerEvent, LedgerState> onComplete(LedgerState state, Complete complete) {
    if (state.outcome() != null) {
      return Effect().reply(complete.replyTo(), StatusReply.success(state.outcome()));
    }
    if (state.logicError() != null) {
      return Effect().reply(complete.replyTo(), StatusReply.error(state.logicError()));
    }
    if (state.spec() == null || !state.pending().isEmpty()) {
      return Effect()
          .reply(
              complete.replyTo(),
              StatusReply.error(
                  state.spec() == null
                      ? "no job was submitted under this id"
                      : state.pending().size() + " item(s) are still pending"));
    }
    String status = state.quarantined().isEmpty() ? "completed" : "completed_with_failures";
    JsonNode result;
    try {
      TroupeMessage accumulator =
          complete.finalPartial() == null
              ? state.accumulator()
              : state
                  .logic()
                  .merge(state.logic().copy(state.accumulator()), complete.finalPartial());
      result =
          ResultJson.render(state.logic().result(accumulator, List.copyOf(state.quarantined())));
    } catch (RuntimeException e) {
      // A bug in a pipeline's combine step, or a result Jackson cannot render, fails its job, not
      // the ledger (which would restart).
      return Effect()
          .reply(
              complete.replyTo(),
              StatusReply.error("the pipeline's result step threw " + e.toString()));
    }
    if (!state.quarantined().isEmpty()
        && result instanceof ObjectNode object
        && !object.has("quarantined")) {
      // DESIGN: result.quarantined lists {item, reason} for every job, whatever its pipeline.
      ArrayNode list = object.putArray("quarantined");
      state
          .quarantined()
          .forEach(q -> list.addObject().put("item", q.item()).put("reason", q.reason()));
    }
    LedgerEvent.JobCompleted done = new LedgerEvent.JobCompleted(status, result, complete.report());
    return Effect().persist(done).thenReply(complete.replyTo(), s -> StatusReply.success(done));
  }

  private static Progress progress(LedgerState state) {
    return new Progress(
        state.added(), state.completed(), state.quarantined().size(), state.failedAttempts());
  }
}
