package io.troupe.persistence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.persistence.JobSpec;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.QuarantinedItem;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A job's event-sourced ledger: the durable record of which items exist, which are done, and what
 * their partial results add up to.
 *
 * <p>Implementation notes: one ledger per job, persistence id {@code TroupeJob|<jobId>}, run as a
 * child of the job's coordinator, which is its only client. Items are indices ({@link
 * LedgerEvent}). Commands are filtered before anything is persisted: completions are taken per
 * batch, all or nothing: a batch naming an item that is not pending (already completed or
 * quarantined, or unknown) is dropped whole, because its partial is already combined; discovered
 * items at an index the ledger already has are dropped too. That is what makes the effect on the
 * result exactly once while delivery is at least once. A {@link Record} persists all its surviving
 * events in one atomic write, so the coordinator batches many outcomes into one database round
 * trip. The accumulator lives only here; it is merged in place and deep-copied for snapshots (every
 * {@code snapshot-every} events), so recovery loads the latest snapshot and replays a bounded tail.
 * Snapshots hold no stored item: a ledger recovered from one reads its stored items back from the
 * journal's {@code ItemsAdded} events ({@link JournalItems}), stashing commands until it has them.
 * The job's result is not computed here: once no item is pending, the coordinator takes the
 * accumulator ({@link GetAccumulated}), renders the result on the blocking dispatcher and closes
 * the job with it ({@link Close}). If the journal fails, the ledger restarts with backoff and
 * recovers; unanswered commands are the coordinator's to resend, which is safe because of the
 * filtering above.
 */
public final class JobLedger
    extends EventSourcedBehaviorWithEnforcedReplies<JobLedger.Command, LedgerEvent, LedgerState> {

  /** Messages the ledger understands. */
  public sealed interface Command {}

  /**
   * Records a new job with its plan; replies with its {@link Progress}, or an error if the id is
   * taken by a job of another pipeline. Repeating the submission of the same job is harmless and
   * changes nothing.
   *
   * @param spec what the job runs
   * @param planned how many items the plan has
   * @param items the planned items to store, or an empty list if the plan is indexed
   * @param replyTo where the answer goes
   */
  public record Submit(
      JobSpec spec, int planned, List<WorkItem<?>> items, ActorRef<StatusReply<Progress>> replyTo)
      implements Command {

    /** Returns true if the plan is indexed: its items are not stored. */
    public boolean indexed() {
      return items.isEmpty() && planned > 0;
    }
  }

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
   * Asks for what the job's result is made from, once no item is pending; replies with {@link
   * Accumulated}, or an error while items are pending.
   *
   * @param replyTo where the answer goes
   */
  public record GetAccumulated(ActorRef<StatusReply<Accumulated>> replyTo) implements Command {}

  /**
   * Closes a job whose items are all completed or quarantined, with its result; replies with the
   * outcome (the stored one if the job was already closed), or an error if items are pending.
   *
   * @param status {@code completed} or {@code completed_with_failures}
   * @param result the job's result, rendered
   * @param report the run report to keep with the outcome
   * @param replyTo where the answer goes
   */
  public record Close(
      String status,
      JsonNode result,
      JsonNode report,
      ActorRef<StatusReply<LedgerEvent.JobCompleted>> replyTo)
      implements Command {}

  /**
   * An {@code ItemsAdded} event read back from the journal after recovery, by the ledger instance
   * {@code reader} (a restarted ledger ignores what its predecessor's read sends).
   */
  private record Reread(long reader, LedgerEvent.ItemsAdded added) implements Command {}

  /** The journal was read to its end ({@code failure} null), or could not be. */
  private record RereadEnded(long reader, Throwable failure) implements Command {}

  private static final AtomicLong READERS = new AtomicLong();

  /** One outcome in a {@link Record}. */
  public sealed interface Entry {}

  /**
   * Items were processed on one node, and their partials combined there.
   *
   * @param ranges the items, as {@code [from, to)} index pairs in ascending order, not overlapping
   *     (as {@link IndexSet#ranges} gives them); a Done whose ranges are not is ignored
   * @param partial their partials, combined
   * @param firstNew the index of the first of {@code newItems}
   * @param newItems items their workers discovered, not known to the job before, in index order
   */
  public record Done(int[] ranges, TroupeMessage partial, int firstNew, List<WorkItem<?>> newItems)
      implements Entry {}

  /**
   * An attempt at the item failed and it will be retried.
   *
   * @param index the item
   * @param attempt the attempt that failed, from 1
   * @param reason exception class and message
   */
  public record Failed(int index, int attempt, String reason) implements Entry {}

  /**
   * The item's last attempt failed; it is given up on.
   *
   * @param index the item
   * @param item the item's id
   * @param attempts how many attempts were made
   * @param reason the last failure
   */
  public record GaveUp(int index, String item, int attempts, String reason) implements Entry {}

  /**
   * Items were handed to workers for the first time. Not an outcome: it lets a resumed job tell the
   * items it redoes. Never counted as ignored.
   *
   * @param ranges the items, as {@code [from, to)} index pairs
   */
  public record Started(int[] ranges) implements Entry {}

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
   * @param planned how many items the plan has
   * @param indexed true if the plan is indexed: its items are re-created from the options
   * @param total items ever added
   * @param stored the stored items from index {@code storedFrom}; finished ones are null
   * @param storedIds the ids of the stored items, finished or not
   * @param storedFrom the index of the first stored item
   * @param finished the items completed or quarantined
   * @param started pending items an earlier run handed to a worker
   * @param failures failed attempts so far per pending item
   * @param progress the job's counters
   * @param outcome the outcome if the job is already closed, else {@code null}
   * @param error why the job cannot go on (its combine logic cannot be resolved), else {@code null}
   */
  public record Recovered(
      JobSpec spec,
      int planned,
      boolean indexed,
      int total,
      List<WorkItem<?>> stored,
      List<String> storedIds,
      int storedFrom,
      BitSet finished,
      BitSet started,
      Map<Integer, Integer> failures,
      Progress progress,
      LedgerEvent.JobCompleted outcome,
      String error) {}

  /**
   * What a finished job's result is made from. The accumulator is the ledger's own: no item is
   * pending, so nothing merges into it any more; it must only be read.
   *
   * @param accumulator every completed item's partial, merged
   * @param logic the job's combine logic
   * @param quarantined the items given up on, in order
   */
  public record Accumulated(
      TroupeMessage accumulator,
      Combiner<TroupeMessage> logic,
      List<QuarantinedItem> quarantined) {}

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
    return Behaviors.setup(ctx -> new JobLedger(jobId, settings, logicFor, ctx));
  }

  /** Returns the persistence id of a job's ledger. */
  public static PersistenceId persistenceId(String jobId) {
    return PersistenceId.of("TroupeJob", jobId);
  }

  private final PersistenceSettings settings;
  private final Function<JobSpec, Combiner<TroupeMessage>> logicFor;
  private final ActorContext<Command> ctx;
  private final long reader = READERS.incrementAndGet();

  private JobLedger(
      String jobId,
      PersistenceSettings settings,
      Function<JobSpec, Combiner<TroupeMessage>> logicFor,
      ActorContext<Command> ctx) {
    super(
        persistenceId(jobId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    this.settings = Objects.requireNonNull(settings, "settings");
    this.logicFor = Objects.requireNonNull(logicFor, "logicFor");
    this.ctx = ctx;
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
  public SignalHandler<LedgerState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.class, (state, recovered) -> rereadItems(state))
        .build();
  }

  /** Reads the stored items a snapshot left out back from the journal, if any are missing. */
  private void rereadItems(LedgerState state) {
    if (!state.reloading()) {
      return;
    }
    ActorRef<Command> self = ctx.getSelf();
    JournalItems.read(
            ctx.getSystem(),
            persistenceId(),
            state.total(),
            added -> self.tell(new Reread(reader, added)))
        .whenComplete((done, failure) -> self.tell(new RereadEnded(reader, failure)));
  }

  @Override
  public CommandHandlerWithReply<Command, LedgerEvent, LedgerState> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forState(LedgerState::reloading)
        .onCommand(Reread.class, this::reread)
        .onCommand(RereadEnded.class, this::onRereadEnded)
        .onAnyCommand(() -> Effect().stash());
    builder
        .forAnyState()
        .onCommand(Submit.class, this::onSubmit)
        .onCommand(GetState.class, this::onGetState)
        .onCommand(Record.class, this::onRecord)
        .onCommand(GetAccumulated.class, this::onGetAccumulated)
        .onCommand(Close.class, this::onClose)
        .onCommand(Reread.class, Effect()::noReply)
        .onCommand(RereadEnded.class, Effect()::noReply);
    return builder.build();
  }

  private ReplyEffect<LedgerEvent, LedgerState> onSubmit(LedgerState state, Submit submit) {
    if (state.error() != null) {
      return Effect().reply(submit.replyTo(), StatusReply.error(state.error()));
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
      if (!state.indexed() && state.total() < state.planned() && !submit.items().isEmpty()) {
        return recordPlan(state, submit);
      }
      return Effect().reply(submit.replyTo(), StatusReply.success(progress(state)));
    }
    return recordPlan(state, submit);
  }

  /**
   * Records the job and the next part of its listed items ({@link PlanWrite}); each write but the
   * last sends the same submission to this ledger again, and the reply goes after the last. A
   * ledger whose coordinator died half-way gets the plan again and records the rest the same way.
   */
  private ReplyEffect<LedgerEvent, LedgerState> recordPlan(LedgerState state, Submit submit) {
    PlanWrite write;
    try {
      write = PlanWrite.next(state, submit, settings);
    } catch (IllegalArgumentException e) {
      return Effect().reply(submit.replyTo(), StatusReply.error(e.getMessage()));
    }
    if (!write.last()) {
      return Effect()
          .persist(write.events())
          .thenRun(s -> ctx.getSelf().tell(submit))
          .thenNoReply();
    }
    return Effect()
        .persist(write.events())
        .thenReply(submit.replyTo(), s -> StatusReply.success(progress(s)));
  }

  private ReplyEffect<LedgerEvent, LedgerState> reread(LedgerState state, Reread reread) {
    if (reread.reader() == reader) {
      state.reload(reread.added());
    }
    return Effect().noReply();
  }

  private ReplyEffect<LedgerEvent, LedgerState> onRereadEnded(
      LedgerState state, RereadEnded ended) {
    if (ended.reader() != reader) {
      return Effect().noReply();
    }
    String error = state.reloadEnded(ended.failure());
    if (error != null) {
      ctx.getLog().error("Ledger {}: {}", persistenceId().id(), error);
    }
    return Effect().noReply().thenUnstashAll();
  }

  private ReplyEffect<LedgerEvent, LedgerState> onGetState(LedgerState state, GetState get) {
    return Effect()
        .reply(
            get.replyTo(),
            new Recovered(
                state.spec(),
                state.planned(),
                state.indexed(),
                state.total(),
                new ArrayList<>(state.stored()),
                new ArrayList<>(state.storedIds()),
                state.storedFrom(),
                (BitSet) state.finished().clone(),
                (BitSet) state.started().clone(),
                Map.copyOf(state.failures()),
                progress(state),
                state.outcome(),
                state.error()));
  }

  private ReplyEffect<LedgerEvent, LedgerState> onRecord(LedgerState state, Record record) {
    RecordFilter.Filtered filtered = RecordFilter.filter(state, record.entries());
    if (filtered.events().isEmpty()) {
      return Effect().reply(record.replyTo(), filtered.answer());
    }
    return Effect().persist(filtered.events()).thenReply(record.replyTo(), s -> filtered.answer());
  }

  private ReplyEffect<LedgerEvent, LedgerState> onGetAccumulated(
      LedgerState state, GetAccumulated get) {
    String refusal = closeRefusal(state);
    if (refusal != null) {
      return Effect().reply(get.replyTo(), StatusReply.error(refusal));
    }
    return Effect()
        .reply(
            get.replyTo(),
            StatusReply.success(
                new Accumulated(
                    state.accumulator(), state.logic(), List.copyOf(state.quarantined()))));
  }

  private ReplyEffect<LedgerEvent, LedgerState> onClose(LedgerState state, Close close) {
    if (state.outcome() != null) {
      return Effect().reply(close.replyTo(), StatusReply.success(state.outcome()));
    }
    String refusal = closeRefusal(state);
    if (refusal != null) {
      return Effect().reply(close.replyTo(), StatusReply.error(refusal));
    }
    LedgerEvent.JobCompleted done =
        new LedgerEvent.JobCompleted(close.status(), close.result(), close.report());
    return Effect().persist(done).thenReply(close.replyTo(), s -> StatusReply.success(done));
  }

  /** Returns why the job cannot be closed now, or null if it can. */
  private static String closeRefusal(LedgerState state) {
    if (state.error() != null) {
      return state.error();
    }
    if (state.spec() == null) {
      return "no job was submitted under this id";
    }
    if (state.pendingCount() > 0) {
      return state.pendingCount() + " item(s) are still pending";
    }
    return null;
  }

  private static Progress progress(LedgerState state) {
    return new Progress(
        state.total(), state.completed(), state.quarantined().size(), state.failedAttempts());
  }
}
