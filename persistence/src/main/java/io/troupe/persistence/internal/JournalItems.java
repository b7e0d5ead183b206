package io.troupe.persistence.internal;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Reads a ledger's stored items back from its journal (internal API): the {@link
 * LedgerEvent.ItemsAdded} events a snapshot leaves out (see {@link LedgerSnapshot}).
 *
 * <p>Implementation notes: a stream over pekko-persistence-jdbc's read journal, which shares the
 * journal's database; it reads the events as they are when it starts. The consumer runs on the
 * stream's thread, so it must only hand each event to the ledger (a {@code tell}).
 */
final class JournalItems {

  private JournalItems() {}

  /**
   * Reads every {@code ItemsAdded} event of a ledger that adds items before an index.
   *
   * @param system the ledger's actor system
   * @param ledger the ledger's persistence id
   * @param before items from this index on are not needed
   * @param each called with each event, in journal order, on the stream's thread
   * @return completes once every event was read, or with the failure
   */
  static CompletionStage<Done> read(
      ActorSystem<?> system,
      PersistenceId ledger,
      int before,
      Consumer<LedgerEvent.ItemsAdded> each) {
    CurrentEventsByPersistenceIdQuery journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return journal
        .currentEventsByPersistenceId(ledger.id(), 0L, Long.MAX_VALUE)
        .map(EventEnvelope::event)
        .filter(e -> e instanceof LedgerEvent.ItemsAdded added && added.first() < before)
        .runWith(Sink.foreach(e -> each.accept((LedgerEvent.ItemsAdded) e)), system);
  }
}
