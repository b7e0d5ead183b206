package io.troupe.persistence.internal;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Reads a ledger's stored items back from its journal (internal API): the {@link
 * LedgerEvent.ItemsAdded} events a snapshot leaves out (see {@link LedgerSnapshot}).
 *
 * <p>Implementation notes: a stream over pekko-persistence-jdbc's read journal, which shares the
 * journal's database; it reads the events as they are when it starts, and stops after the event
 * that adds the last item it needs: items are added in index order, so a listed plan's items are
 * read without the outcomes recorded after them. The consumer runs on the stream's thread, so it
 * must only hand each event to the ledger (a {@code tell}).
 */
final class JournalItems {

  private JournalItems() {}

  /**
   * A read under way.
   *
   * @param stop stops the read (the ledger stopped)
   * @param done completes once every needed event was read, or with the failure
   */
  record Reading(UniqueKillSwitch stop, CompletionStage<Done> done) {}

  /**
   * Starts reading the {@code ItemsAdded} events of a ledger that add items before an index.
   *
   * @param system the ledger's actor system
   * @param ledger the ledger's persistence id
   * @param before items from this index on are not needed
   * @param each called with each event, in journal order, on the stream's thread
   * @return the read
   * @throws RuntimeException if the system has no JDBC read journal configured
   */
  static Reading read(
      ActorSystem<?> system,
      PersistenceId ledger,
      int before,
      Consumer<LedgerEvent.ItemsAdded> each) {
    CurrentEventsByPersistenceIdQuery journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    Pair<UniqueKillSwitch, CompletionStage<Done>> run =
        journal
            .currentEventsByPersistenceId(ledger.id(), 0L, Long.MAX_VALUE)
            .map(EventEnvelope::event)
            .filter(e -> e instanceof LedgerEvent.ItemsAdded added && added.first() < before)
            .map(e -> (LedgerEvent.ItemsAdded) e)
            .takeWhile(added -> added.first() + added.items().size() < before, true)
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.foreach(each::accept), Keep.both())
            .run(system);
    return new Reading(run.first(), run.second());
  }
}
