package io.troupe.cluster.internal;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Tells a graceful leave from a node stopping because the cluster downed it (internal API). A node
 * that leaves hands its work over: its hosts finish what is under way, its coordinators write every
 * outcome before their jobs move. A downed node does neither: the others took its work over when
 * they downed it, and a coordinator of the same job may already run elsewhere, so writing the
 * ledger now would make two writers.
 */
final class Leaving {

  private Leaving() {}

  /** Returns true if this node has been downed (or removed) rather than leaving. */
  static boolean downed(ActorSystem<?> system) {
    MemberStatus status = Cluster.get(system).selfMember().status();
    return status == MemberStatus.down() || status == MemberStatus.removed();
  }
}
