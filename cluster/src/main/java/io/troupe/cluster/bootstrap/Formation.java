package io.troupe.cluster.bootstrap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.Address;

/**
 * What a bootstrapping node does after one probe round: a pure function of what it discovered and
 * what the contact points answered, so that every rule can be tested without a cluster.
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>A contact point reports seed nodes (the Up members of its cluster): join them, even if this
 *       node would be the lowest. Should two report different clusters, the larger wins, ties to
 *       the one whose oldest member's address is lowest. This node's own address is never a seed.
 *   <li>This node is a member already, or has asked to join: wait; it never forms a cluster.
 *   <li>Fewer than {@code required} contact points discovered: wait.
 *   <li>One of them did not answer: wait.
 *   <li>The discovered set changed less than {@code margin} ago: wait.
 *   <li>Of the addresses the answers report as {@code self}, the lowest (host, then port) forms the
 *       cluster: this node if it is that address; every other node waits for it to report seeds.
 * </ol>
 *
 * <p>Every node that discovers the same contact points reaches the same verdict on who forms, so
 * exactly one cluster is formed. A node that is not among its own contact points never forms one.
 */
final class Formation {

  /** Orders cluster addresses by host, then port: the order in which "lowest" forms. */
  static final Comparator<Address> ADDRESS_ORDER =
      Comparator.<Address, String>comparing(a -> a.getHost().orElse(""))
          .thenComparingInt(a -> a.getPort().orElse(0));

  private Formation() {}

  /**
   * A contact point's answer to {@code GET /bootstrap/seed-nodes}.
   *
   * @param self the cluster address of the node that answered
   * @param seedNodes the Up members of its cluster, oldest first; empty if it is in none
   */
  record Answer(Address self, List<Address> seedNodes) {
    Answer {
      seedNodes = List.copyOf(seedNodes);
    }
  }

  /**
   * What one probe round saw.
   *
   * @param discovered the contact points discovery returned
   * @param answers the answers, by contact point; one that did not answer is absent
   * @param unchangedFor how long the discovered set has been the same
   * @param joining whether this node is a member already or has asked to join a cluster
   */
  record Round(
      Set<ContactPoint> discovered,
      Map<ContactPoint, Answer> answers,
      Duration unchangedFor,
      boolean joining) {
    Round {
      discovered = Set.copyOf(discovered);
      answers = Map.copyOf(answers);
    }
  }

  /** The verdict of a round. */
  sealed interface Decision {}

  /**
   * Join the cluster of these seed nodes.
   *
   * @param seedNodes the seeds, oldest first, never this node
   */
  record Join(List<Address> seedNodes) implements Decision {
    Join {
      seedNodes = List.copyOf(seedNodes);
    }
  }

  /** Form a new cluster by joining this node itself. */
  enum FormSelf implements Decision {
    INSTANCE
  }

  /**
   * Keep probing.
   *
   * @param reason why
   * @param detail the particulars, for the log; the same as long as the situation is
   */
  record Wait(Reason reason, String detail) implements Decision {}

  /** Why a node waits. */
  enum Reason {
    /** It is a member already or has asked to join. */
    JOINING,
    /** The only seed reported is this node's own address (an earlier run of it). */
    ONLY_SELF_REPORTED,
    /** Fewer contact points than required. */
    TOO_FEW,
    /** A contact point did not answer. */
    UNANSWERED,
    /** The discovered set changed within the margin. */
    UNSTABLE,
    /** Another contact point is the lowest: it forms the cluster. */
    NOT_LOWEST
  }

  /**
   * Decides what to do after a round.
   *
   * @param round what the round saw
   * @param self this node's cluster address
   * @param required the fewest contact points a new cluster is formed with
   * @param margin how long the discovered set must be unchanged before a new cluster is formed
   * @return the decision
   */
  static Decision decide(Round round, Address self, int required, Duration margin) {
    Optional<List<Address>> seeds = chosenSeeds(round);
    if (seeds.isPresent()) {
      List<Address> others = new ArrayList<>(seeds.get());
      others.remove(self);
      if (others.isEmpty()) {
        return new Wait(
            Reason.ONLY_SELF_REPORTED,
            "the only member reported is this node's own address " + self);
      }
      return new Join(others);
    }
    if (round.joining()) {
      return new Wait(Reason.JOINING, "this node is joining or a member already");
    }
    int found = round.discovered().size();
    if (found < required) {
      return new Wait(
          Reason.TOO_FEW,
          found
              + " contact point(s) discovered "
              + new TreeSet<>(round.discovered())
              + ", a new cluster needs "
              + required);
    }
    TreeSet<ContactPoint> silent = new TreeSet<>(round.discovered());
    silent.removeAll(round.answers().keySet());
    if (!silent.isEmpty()) {
      return new Wait(Reason.UNANSWERED, "no answer from " + silent);
    }
    if (round.unchangedFor().compareTo(margin) < 0) {
      return new Wait(
          Reason.UNSTABLE,
          "contact points " + new TreeSet<>(round.discovered()) + " not yet stable for " + margin);
    }
    Address lowest =
        round.discovered().stream()
            .map(c -> round.answers().get(c).self())
            .min(ADDRESS_ORDER)
            .orElseThrow();
    if (lowest.equals(self)) {
      return FormSelf.INSTANCE;
    }
    return new Wait(
        Reason.NOT_LOWEST, lowest + " is the lowest contact point: it forms the cluster");
  }

  /** The seeds to join among the answers of discovered contact points, if any reports some. */
  private static Optional<List<Address>> chosenSeeds(Round round) {
    Comparator<List<Address>> larger =
        Comparator.<List<Address>>comparingInt(List::size).reversed();
    return round.discovered().stream()
        .map(c -> round.answers().get(c))
        .filter(a -> a != null && !a.seedNodes().isEmpty())
        .map(Answer::seedNodes)
        .min(larger.thenComparing(l -> l.get(0), ADDRESS_ORDER));
  }
}
