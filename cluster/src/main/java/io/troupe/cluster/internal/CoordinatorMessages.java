package io.troupe.cluster.internal;

import io.troupe.persistence.internal.LedgerEvent;
import io.troupe.persistence.internal.LedgerProtocol;
import io.troupe.sdk.TroupeMessage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.pattern.StatusReply;

/** The messages a job coordinator sends itself (internal API); none crosses nodes. */
final class CoordinatorMessages {

  private CoordinatorMessages() {}

  /** The ledger answered {@link LedgerProtocol.GetState}, or did not. */
  record Recovered(LedgerProtocol.Recovered recovered, Throwable error)
      implements JobCoordinator.Command {}

  /** The item book is built (planned, or rebuilt from the ledger), or could not be. */
  record BookReady(ItemBook book, Throwable error) implements JobCoordinator.Command {}

  /** The ledger recorded the job's submission, or did not. */
  record Submitted(StatusReply<LedgerProtocol.Progress> reply, Throwable error)
      implements JobCoordinator.Command {}

  /** The ledger recorded a batch of outcomes, or did not. */
  record Written(LedgerProtocol.Recorded recorded, Throwable error)
      implements JobCoordinator.Command {}

  /** The pipeline's last step completed, or failed. */
  record Finished(TroupeMessage partial, Throwable error) implements JobCoordinator.Command {}

  /** The ledger handed over the accumulator, or refused. */
  record Accumulated(StatusReply<LedgerProtocol.Accumulated> reply, Throwable error)
      implements JobCoordinator.Command {}

  /** The result is rendered on the blocking dispatcher, or its rendering failed. */
  record Rendered(RunResult result, Throwable error) implements JobCoordinator.Command {}

  /** The ledger closed the job, or did not. */
  record Closed(StatusReply<LedgerEvent.JobCompleted> reply, Throwable error)
      implements JobCoordinator.Command {}

  /** The ledger recorded the cancel, or did not. */
  record Canceled(StatusReply<LedgerEvent.JobCompleted> reply, Throwable error)
      implements JobCoordinator.Command {}

  /** The receptionist's list of worker agents changed. */
  record AgentsChanged(Receptionist.Listing listing) implements JobCoordinator.Command {}

  /** A host stopped or its node left. */
  record HostLeft(ActorRef<JobHost.Command> host) implements JobCoordinator.Command {}

  /** An item's retry delay has passed. */
  record RetryDue(int index) implements JobCoordinator.Command {}

  /** The coordinator's tick: timeouts, live samples, the job registry. */
  enum Tick implements JobCoordinator.Command {
    INSTANCE
  }

  /** The flush interval of the oldest unwritten outcome has passed. */
  enum FlushDue implements JobCoordinator.Command {
    INSTANCE
  }

  /** The last step's retry delay has passed. */
  enum RetryFinish implements JobCoordinator.Command {
    INSTANCE
  }

  /** A coordinator handing its job over has waited long enough. */
  enum HandOverDue implements JobCoordinator.Command {
    INSTANCE
  }

  /** Sent by the shard to stop the entity (passivation or rebalancing). */
  enum Passivate implements JobCoordinator.Command {
    INSTANCE
  }

  /** Our own timer: ask the shard to passivate us once a finished job has been kept long enough. */
  enum RetentionOver implements JobCoordinator.Command {
    INSTANCE
  }

  /**
   * A job's result, rendered.
   *
   * @param status {@code completed} or {@code completed_with_failures}
   * @param result the result as JSON
   */
  record RunResult(String status, com.fasterxml.jackson.databind.JsonNode result) {}

  /** The reply class of asks whose answer is a {@link StatusReply}. */
  @SuppressWarnings("unchecked") // ask needs the reply class; StatusReply is generic
  static <T> Class<StatusReply<T>> statusReply() {
    return (Class<StatusReply<T>>) (Class<?>) StatusReply.class;
  }

  /** Returns a throwable as one line: class and message. */
  static String describe(Throwable t) {
    Throwable cause =
        t instanceof java.util.concurrent.CompletionException && t.getCause() != null
            ? t.getCause()
            : t;
    return cause.getMessage() == null
        ? cause.getClass().getName()
        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  /** Returns the message of a failed ask or error reply. */
  static String why(StatusReply<?> reply, Throwable error) {
    return error != null ? describe(error) : reply.getError().getMessage();
  }
}
