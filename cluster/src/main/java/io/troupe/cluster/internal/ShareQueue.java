package io.troupe.cluster.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A job host's items on their way to its workers through the node's shares ({@link NodeShares})
 * (internal API): each item asks for a slot, waits here if there is none, and gives its slot back
 * once its outcome is in.
 *
 * <p>Implementation notes: owned by one {@link JobHost} and touched only from its message handlers;
 * a grant reaches the host as a message, which calls {@link #granted}. Items given to the workers
 * freely (the node is not limited) hold no slot and give none back.
 */
final class ShareQueue {

  private final NodeShares.Share share;
  private final Consumer<HostBatch.Piece> submit;

  /** Items waiting for a slot, in arrival order. */
  private final ArrayDeque<HostBatch.Piece> ungranted = new ArrayDeque<>();

  /** Items given to workers that hold a slot, until their outcome is in. */
  private final Set<HostBatch.Piece> holding = new HashSet<>();

  /**
   * Creates the queue of a host.
   *
   * @param share the host's job's share of the node
   * @param submit gives an item to the host's workers
   */
  ShareQueue(NodeShares.Share share, Consumer<HostBatch.Piece> submit) {
    this.share = share;
    this.submit = submit;
  }

  /** Gives an item to the workers now if it may start, else keeps it until a slot is granted. */
  void offer(HostBatch.Piece piece) {
    ungranted.add(piece);
    switch (share.tryAcquire()) {
      case FREE -> submitNext(false);
      case SLOT -> submitNext(true);
      case WAIT -> {
        // Given to the workers once the job's share grants a slot.
      }
    }
  }

  /** A slot was granted to the job: the next waiting item goes to the workers on it. */
  void granted() {
    submitNext(true);
  }

  /** An item's outcome is in, or it was given up on: its slot goes back, once. */
  void released(HostBatch.Piece piece) {
    if (holding.remove(piece)) {
      share.release();
    }
  }

  /**
   * Takes the items still waiting for a slot (the host's node leaves): they hold none, and are
   * given back unstarted.
   */
  List<HostBatch.Piece> takeWaiting() {
    List<HostBatch.Piece> waiting = new ArrayList<>(ungranted);
    ungranted.clear();
    return waiting;
  }

  /** The host stops: its slots and its waiting go. */
  void leave() {
    share.leave();
  }

  private void submitNext(boolean slot) {
    HostBatch.Piece piece = ungranted.poll();
    if (piece == null) {
      if (slot) {
        share.release(); // nothing left for the slot
      }
      return;
    }
    if (slot) {
      holding.add(piece);
    }
    submit.accept(piece);
  }
}
