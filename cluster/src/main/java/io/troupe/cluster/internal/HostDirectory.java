package io.troupe.cluster.internal;

import io.troupe.sdk.WorkItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * The job hosts working on one job and the batches of items they hold (internal API).
 *
 * <p>Implementation notes: owned by the job's coordinator. A host (one per node) has credit for a
 * number of hand-outs, each a batch of items; it never holds more, so its mailbox stays bounded and
 * an idle node is what pulls the next batch. Among hosts with free credit the least loaded wins,
 * ties broken round-robin. Each hand-out gets a fresh id, starting at a random value, so an answer
 * to a previous coordinator incarnation's hand-out matches none of this one's.
 *
 * @param <H> the host handle, compared with {@code equals}
 */
final class HostDirectory<H> {

  /**
   * A batch of items held by one host.
   *
   * @param id the hand-out's id
   * @param host the host
   * @param indices the items' indices
   * @param items the items, in the same order
   * @param handedOutNanos {@link System#nanoTime()} at hand-out
   */
  record HandOut<H>(long id, H host, int[] indices, WorkItem<?>[] items, long handedOutNanos) {}

  private static final class Host {
    final String node;
    final int workers;
    final int credit;
    int held;
    boolean leaving;

    Host(String node, int workers, int credit) {
      this.node = node;
      this.workers = workers;
      this.credit = credit;
    }
  }

  private final Map<H, Host> hosts = new LinkedHashMap<>();
  private final Map<Long, HandOut<H>> inFlight = new HashMap<>();
  private long nextId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
  private int roundRobin;
  private int itemsInFlight;

  /**
   * Adds a host.
   *
   * @param host the host
   * @param node its node, as host:port
   * @param workers its workers
   * @param credit hand-outs it may hold at once; at least 1
   * @return false if the host was known already
   */
  boolean add(H host, String node, int workers, int credit) {
    return hosts.putIfAbsent(host, new Host(node, workers, Math.max(1, credit))) == null;
  }

  /**
   * Marks a host whose node is leaving: it gets no more hand-outs; those it holds stay until it
   * answers them.
   *
   * @return false if the host is not known
   */
  boolean retire(H host) {
    Host h = hosts.get(host);
    if (h == null) {
      return false;
    }
    h.leaving = true;
    return true;
  }

  /** Returns true if the host's node is leaving ({@link #retire}). */
  boolean isLeaving(H host) {
    Host h = hosts.get(host);
    return h != null && h.leaving;
  }

  /** Returns true if the host is known. */
  boolean has(H host) {
    return hosts.containsKey(host);
  }

  /** Returns the node of a host, or {@code "?"}. */
  String nodeOf(H host) {
    Host h = hosts.get(host);
    return h == null ? "?" : h.node;
  }

  /** Returns the hosts. */
  Iterable<H> all() {
    return hosts.keySet();
  }

  /** Returns the number of hosts. */
  int size() {
    return hosts.size();
  }

  /**
   * Removes a host and returns the hand-outs it held, whose items go back to the job.
   *
   * @param host the host
   * @return its hand-outs
   */
  List<HandOut<H>> remove(H host) {
    hosts.remove(host);
    List<HandOut<H>> held = new ArrayList<>();
    for (Iterator<HandOut<H>> it = inFlight.values().iterator(); it.hasNext(); ) {
      HandOut<H> h = it.next();
      if (h.host().equals(host)) {
        it.remove();
        itemsInFlight -= h.indices().length;
        held.add(h);
      }
    }
    return held;
  }

  /**
   * Returns the least loaded host with free credit, or null if none has any.
   *
   * @return the host, or null
   */
  H freeHost() {
    H best = null;
    double bestLoad = 1;
    int n = hosts.size();
    int i = 0;
    int start = n == 0 ? 0 : roundRobin % n;
    List<H> order = new ArrayList<>(hosts.keySet());
    for (int k = 0; k < n; k++) {
      H candidate = order.get((start + k) % n);
      Host h = hosts.get(candidate);
      double load = (double) h.held / h.credit;
      if (!h.leaving && h.held < h.credit && (best == null || load < bestLoad)) {
        best = candidate;
        bestLoad = load;
        i = (start + k) % n;
        if (h.held == 0) {
          break;
        }
      }
    }
    if (best != null) {
      roundRobin = i + 1;
    }
    return best;
  }

  /** Returns the hand-outs all hosts could take now, summed. */
  int freeCredit() {
    int free = 0;
    for (Host h : hosts.values()) {
      if (!h.leaving) {
        free += Math.max(0, h.credit - h.held);
      }
    }
    return free;
  }

  /** Returns the workers of a host, or 1. */
  int workersOf(H host) {
    Host h = hosts.get(host);
    return h == null ? 1 : h.workers;
  }

  /**
   * Records a hand-out to a host.
   *
   * @param host the host, with free credit
   * @param indices the items' indices
   * @param items the items
   * @return the hand-out
   */
  HandOut<H> handOut(H host, int[] indices, WorkItem<?>[] items) {
    Host h = hosts.get(host);
    h.held++;
    HandOut<H> out = new HandOut<>(nextId++, host, indices, items, System.nanoTime());
    inFlight.put(out.id(), out);
    itemsInFlight += indices.length;
    return out;
  }

  /**
   * Ends a hand-out and frees its host's credit.
   *
   * @param id the hand-out's id
   * @return the hand-out, or null if it is not in flight (timed out, its host left, or a previous
   *     coordinator's)
   */
  HandOut<H> finish(long id) {
    HandOut<H> out = inFlight.remove(id);
    if (out != null) {
      itemsInFlight -= out.indices().length;
      Host h = hosts.get(out.host());
      if (h != null) {
        h.held--;
      }
    }
    return out;
  }

  /**
   * Restarts the clock of hand-outs a host says it still holds, so that a hand-out waiting its turn
   * there (behind others, or for its job's share of the node) is not taken for lost.
   *
   * @param host the host
   * @param ids the hand-outs it holds
   * @param nowNanos {@link System#nanoTime()} now
   */
  void stillHeld(H host, long[] ids, long nowNanos) {
    for (long id : ids) {
      HandOut<H> h = inFlight.get(id);
      if (h != null && h.host().equals(host)) {
        inFlight.put(id, new HandOut<>(h.id(), h.host(), h.indices(), h.items(), nowNanos));
      }
    }
  }

  /** Returns the hand-outs for which the predicate holds, oldest first; changes nothing. */
  List<HandOut<H>> inFlightWhere(Predicate<HandOut<H>> p) {
    List<HandOut<H>> found = new ArrayList<>();
    for (HandOut<H> h : inFlight.values()) {
      if (p.test(h)) {
        found.add(h);
      }
    }
    found.sort(java.util.Comparator.comparingLong(HandOut::id));
    return found;
  }

  /** Returns the items hosts hold now. */
  int itemsInFlight() {
    return itemsInFlight;
  }

  /** Counts the items hosts hold per stage into {@code counts}' second slot. */
  void countInFlight(Map<String, long[]> counts) {
    for (HandOut<H> h : inFlight.values()) {
      for (WorkItem<?> item : h.items()) {
        counts.computeIfAbsent(item.stage(), s -> new long[2])[1]++;
      }
    }
  }
}
