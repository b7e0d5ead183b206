package io.troupe.persistence.testing;

import io.troupe.persistence.internal.JobLedger;
import io.troupe.persistence.internal.LedgerEvent;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * Persists given events under a job's ledger id when told anything, then answers {@link Done}:
 * stands in for a ledger that stopped after writing them (a coordinator that died half-way through
 * recording its plan, say).
 */
public final class LedgerEventWriter extends EventSourcedBehavior<String, LedgerEvent, String> {

  private final List<LedgerEvent> events;
  private final ActorRef<Done> done;

  /**
   * Creates the writer.
   *
   * @param job the job whose ledger the events go to
   * @param events the events, in order
   * @param done told once they are written
   */
  public LedgerEventWriter(String job, List<LedgerEvent> events, ActorRef<Done> done) {
    super(JobLedger.persistenceId(job));
    this.events = events;
    this.done = done;
  }

  @Override
  public String emptyState() {
    return "";
  }

  @Override
  public CommandHandler<String, LedgerEvent, String> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onAnyCommand(
            command -> Effect().persist(events).thenRun(s -> done.tell(Done.getInstance())));
  }

  @Override
  public EventHandler<String, LedgerEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> state);
  }
}
