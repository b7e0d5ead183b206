package io.troupe.persistence.internal;

import io.troupe.persistence.JobSpec;
import io.troupe.persistence.internal.LedgerProtocol.Accumulated;
import io.troupe.persistence.internal.LedgerProtocol.Cancel;
import io.troupe.persistence.internal.LedgerProtocol.Close;
import io.troupe.persistence.internal.LedgerProtocol.Command;
import io.troupe.persistence.internal.LedgerProtocol.GetAccumulated;
import io.troupe.persistence.internal.LedgerProtocol.GetState;
import io.troupe.persistence.internal.LedgerProtocol.Progress;
import io.troupe.persistence.internal.LedgerProtocol.Record;
import io.troupe.persistence.internal.LedgerProtocol.Recovered;
import io.troupe.persistence.internal.LedgerProtocol.Reread;
import io.troupe.persistence.internal.LedgerProtocol.RereadAgain;
import io.troupe.persistence.internal.LedgerProtocol.RereadEnded;
import io.troupe.persistence.internal.LedgerProtocol.Submit;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.TroupeMessage;
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
import org.apache.pekko.actor.typed.PostStop;
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
    extends EventSourcedBehaviorWithEnforcedReplies<
        LedgerProtocol.Command, LedgerEvent, LedgerState> {

  /** Reads of items back from the journal, over all ledgers: each read's id. */
  private static final AtomicLong READS = new AtomicLong();

  private static final Duration READ_BACKOFF = Duration.ofMillis(200);
  private static final Duration READ_BACKOFF_MAX = Duration.ofSeconds(5);

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
  private final LedgerState empty;
  private long read;
  private int readFailures;
  private JournalItems.Reading reading;

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
    this.empty = new LedgerState(logicFor);
  }

  /**
   * Returns the state of a ledger that has recorded nothing. Pekko keeps this one object for the
   * life of the actor and recovers onto it again after a journal failure restarts the ledger, so it
   * must never change: the event handler applies the first event to a fresh state instead.
   */
  @Override
  public LedgerState emptyState() {
    return empty;
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
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent(
            (state, event) -> (state == empty ? new LedgerState(logicFor) : state).apply(event));
  }

  @Override
  public SignalHandler<LedgerState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.class, (state, recovered) -> rereadItems(state))
        .onSignal(PostStop.class, (state, stopped) -> stopReading())
        .build();
  }

  /**
   * Reads the stored items a snapshot left out back from the journal, if any are missing. A system
   * without a JDBC read journal cannot: the ledger reports it as its error.
   */
  private void rereadItems(LedgerState state) {
    if (!state.reloading()) {
      return;
    }
    ActorRef<Command> self = ctx.getSelf();
    long thisRead = READS.incrementAndGet();
    read = thisRead;
    try {
      reading =
          JournalItems.read(
              ctx.getSystem(),
              persistenceId(),
              state.reloadingBefore(),
              added -> self.tell(new Reread(thisRead, added)));
    } catch (RuntimeException e) {
      reportReadError(state.reloadEnded(e));
      return;
    }
    reading.done().whenComplete((done, failure) -> self.tell(new RereadEnded(thisRead, failure)));
  }

  private void stopReading() {
    if (reading != null) {
      reading.stop().shutdown();
    }
  }

  private void reportReadError(String error) {
    if (error != null) {
      ctx.getLog().error("Ledger {}: {}", persistenceId().id(), error);
    }
  }

  @Override
  public CommandHandlerWithReply<Command, LedgerEvent, LedgerState> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forState(LedgerState::reloading)
        .onCommand(Reread.class, this::reread)
        .onCommand(RereadEnded.class, this::onRereadEnded)
        .onCommand(RereadAgain.class, this::onRereadAgain)
        .onAnyCommand(() -> Effect().stash());
    builder
        .forAnyState()
        .onCommand(Submit.class, this::onSubmit)
        .onCommand(GetState.class, this::onGetState)
        .onCommand(Record.class, this::onRecord)
        .onCommand(GetAccumulated.class, this::onGetAccumulated)
        .onCommand(Close.class, this::onClose)
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(Reread.class, Effect()::noReply)
        .onCommand(RereadEnded.class, Effect()::noReply)
        .onCommand(RereadAgain.class, Effect()::noReply);
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
    if (reread.read() == read) {
      state.reload(reread.added());
    }
    return Effect().noReply();
  }

  /**
   * Ends a read: the commands that waited go on, unless the read failed, which is retried with
   * backoff as a journal that fails while recovering is (the database may be back in a moment).
   */
  private ReplyEffect<LedgerEvent, LedgerState> onRereadEnded(
      LedgerState state, RereadEnded ended) {
    if (ended.read() != read) {
      return Effect().noReply();
    }
    reading = null;
    if (ended.failure() != null) {
      Duration delay = READ_BACKOFF.multipliedBy(1L << Math.min(readFailures++, 5));
      Duration wait = delay.compareTo(READ_BACKOFF_MAX) > 0 ? READ_BACKOFF_MAX : delay;
      ctx.getLog()
          .warn(
              "Ledger {}: reading its items back from the journal failed, again in {} ms: {}",
              persistenceId().id(),
              wait.toMillis(),
              ended.failure().toString());
      ctx.scheduleOnce(wait, ctx.getSelf(), new RereadAgain(read));
      return Effect().noReply();
    }
    reportReadError(state.reloadEnded(null));
    return Effect().noReply().thenUnstashAll();
  }

  private ReplyEffect<LedgerEvent, LedgerState> onRereadAgain(
      LedgerState state, RereadAgain again) {
    if (again.read() == read) {
      rereadItems(state);
      if (!state.reloading()) {
        return Effect().noReply().thenUnstashAll();
      }
    }
    return Effect().noReply();
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

  /**
   * Cancels the job, pending items or not. A job that is over already keeps its outcome, and the
   * reply says what it is.
   */
  private ReplyEffect<LedgerEvent, LedgerState> onCancel(LedgerState state, Cancel cancel) {
    if (state.outcome() != null) {
      return Effect().reply(cancel.replyTo(), StatusReply.success(state.outcome()));
    }
    if (state.error() != null) {
      return Effect().reply(cancel.replyTo(), StatusReply.error(state.error()));
    }
    if (state.spec() == null) {
      return Effect()
          .reply(cancel.replyTo(), StatusReply.error("no job was submitted under this id"));
    }
    LedgerEvent.JobCompleted canceled =
        new LedgerEvent.JobCompleted(LedgerEvent.CANCELED, null, cancel.report());
    return Effect()
        .persist(canceled)
        .thenReply(cancel.replyTo(), s -> StatusReply.success(canceled));
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
