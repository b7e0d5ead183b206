package io.troupe.persistence.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.persistence.JobSpec;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.QuarantinedItem;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * What a {@link JobLedger} is asked and answers (internal API): its commands, the outcomes a {@link
 * Record} carries, and its replies. The job's coordinator is the ledger's only client.
 */
public final class LedgerProtocol {

  private LedgerProtocol() {}

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
   * Cancels a job: records that it is over, {@code canceled}, with the items still pending left
   * undone, so that it is never resumed. Replies with the outcome (the stored one if the job was
   * already over, canceled or not), or an error if there is no job.
   *
   * @param report the run report to keep with the outcome, up to the cancel
   * @param replyTo where the answer goes
   */
  public record Cancel(JsonNode report, ActorRef<StatusReply<LedgerEvent.JobCompleted>> replyTo)
      implements Command {}

  /**
   * An {@code ItemsAdded} event read back from the journal after recovery, by the ledger's read
   * {@code read}; a ledger ignores what an earlier read, or a stopped instance's, sends.
   */
  record Reread(long read, LedgerEvent.ItemsAdded added) implements Command {}

  /** The read {@code read} reached its end ({@code failure} null), or failed. */
  record RereadEnded(long read, Throwable failure) implements Command {}

  /** Time to start the read again that failed as {@code read}. */
  record RereadAgain(long read) implements Command {}

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
   * Items handed out were given back before any worker started them (their node left gracefully): a
   * resumed job does not count them as processed again. Not an outcome; never counted as ignored.
   *
   * @param ranges the items, as {@code [from, to)} index pairs
   */
  public record Unstarted(int[] ranges) implements Entry {}

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
   * @param storedIds the ids of the stored items, finished or not (a closed job restored from a
   *     snapshot has nulls: its items are not read back)
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
}
