package io.troupe.cluster.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * How the jobs on one node share its workers by priority (internal API): while jobs of different
 * priorities run on a node, each gets items started in proportion to its priority.
 *
 * <p>Implementation notes: one per node, shared by the node's job hosts, thread-safe. A host asks
 * before it gives an item to a worker and gives a slot back when the item's outcome is in. While
 * every job on the node has the same priority, nothing is counted or limited (one volatile read per
 * item): the workers' own fairness shares them equally, and a job alone keeps its workers' queues
 * full; items started then are not counted once a job of another priority joins, so for a moment
 * more than {@code slots} may be under way. Once jobs of different priorities are on the node, at
 * most {@code slots} items (two per worker thread, so that a thread never waits for the hand-over
 * of the next item) are under way at once, and a freed slot goes to the waiting job that is
 * furthest behind its share: stride scheduling, where a job's pass grows by {@code 1 / priority}
 * with every slot it gets and the lowest pass goes first. So over any stretch in which both wait
 * for slots, a job of priority 3 starts three items for every one of a job of priority 1, whatever
 * the items cost; a job that joins starts at the pass of the jobs already there, so it neither
 * waits for them to catch up nor pushes ahead of its share.
 */
public final class NodeShares implements Extension {

  private final Set<Share> shares = new LinkedHashSet<>();
  private final int slots;
  private int running;

  /** {@link #limited()} as of the last join or leave: read without the lock on the fast path. */
  private volatile boolean limitedNow;

  /** The answer to {@link Share#tryAcquire}. */
  public enum Grant {
    /** The node is not limited: go ahead; there is no slot to give back. */
    FREE,
    /** A slot is taken: give it back with {@link Share#release} once the item's outcome is in. */
    SLOT,
    /** No slot now: the grant callback runs once the job gets one. */
    WAIT
  }

  private static final class Id extends ExtensionId<NodeShares> {
    @Override
    public NodeShares createExtension(ActorSystem<?> system) {
      int threads =
          system
              .settings()
              .config()
              .getInt(JobSettings.WORKER_DISPATCHER + ".fork-join-executor.parallelism-max");
      return new NodeShares(2 * Math.max(1, threads));
    }
  }

  private static final Id ID = new Id();

  /** Returns the shares of a node. */
  public static NodeShares get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  NodeShares(int slots) {
    this.slots = slots;
  }

  /**
   * Adds a job's host.
   *
   * @param priority the job's priority
   * @param onGrant run (outside any lock) each time the job gets a slot it waited for
   * @return the job's share
   */
  public synchronized Share join(int priority, Runnable onGrant) {
    double pass = Double.MAX_VALUE;
    for (Share s : shares) {
      pass = Math.min(pass, s.pass);
    }
    Share share = new Share(priority, onGrant, shares.isEmpty() ? 0 : pass);
    shares.add(share);
    limitedNow = limited();
    return share;
  }

  /** Returns true while jobs of different priorities are on the node. */
  private boolean limited() {
    int priority = -1;
    for (Share s : shares) {
      if (priority >= 0 && s.priority != priority) {
        return true;
      }
      priority = s.priority;
    }
    return false;
  }

  /** Hands free slots to waiting jobs, lowest pass first; returns whom to tell. */
  private List<Runnable> grant() {
    List<Runnable> granted = new ArrayList<>();
    boolean limited = limited();
    while (!limited || running < slots) {
      Share next = null;
      for (Share s : shares) {
        if (s.waiting > 0 && (next == null || s.pass < next.pass)) {
          next = s;
        }
      }
      if (next == null) {
        break;
      }
      next.waiting--;
      next.take();
      granted.add(next.onGrant);
    }
    return granted;
  }

  private static void tell(List<Runnable> granted) {
    granted.forEach(Runnable::run);
  }

  /** One job's share of the node's workers, held by its host. */
  public final class Share {
    private final int priority;
    private final Runnable onGrant;
    private double pass;
    private int held;
    private int waiting;

    private Share(int priority, Runnable onGrant, double pass) {
      this.priority = Math.max(1, priority);
      this.onGrant = onGrant;
      this.pass = pass;
    }

    /**
     * A job that was idle (nothing held, nothing waiting) comes back at the pass of the jobs that
     * kept busy, not at its old one: it gets its share from now on, not the slots it left unused.
     */
    private void catchUp() {
      double floor = Double.MAX_VALUE;
      for (Share s : shares) {
        if (s != this && (s.held > 0 || s.waiting > 0)) {
          floor = Math.min(floor, s.pass);
        }
      }
      if (floor != Double.MAX_VALUE && floor > pass) {
        pass = floor;
      }
    }

    private void take() {
      held++;
      running++;
      pass += 1.0 / priority;
    }

    /**
     * Asks to start one item. While every job on the node has the same priority the answer is
     * {@link Grant#FREE}, without a lock or any counting: a lone job pays nothing per item. While
     * the node is limited, a slot is taken if one is free ({@link Grant#SLOT}); otherwise the job
     * waits for one ({@link Grant#WAIT}), and the grant callback runs once it gets it.
     *
     * @return the answer
     */
    public Grant tryAcquire() {
      if (!limitedNow) {
        return Grant.FREE;
      }
      synchronized (NodeShares.this) {
        if (held == 0 && waiting == 0) {
          catchUp();
        }
        if (waiting == 0 && (!limited() || running < slots)) {
          take();
          return Grant.SLOT;
        }
        waiting++;
        return Grant.WAIT;
      }
    }

    /** Gives back a slot whose item's outcome is in. */
    public void release() {
      List<Runnable> granted;
      synchronized (NodeShares.this) {
        if (held == 0) {
          return;
        }
        held--;
        running--;
        granted = grant();
      }
      tell(granted);
    }

    /** The job's host stopped: its slots and its waiting go. */
    public void leave() {
      List<Runnable> granted;
      synchronized (NodeShares.this) {
        if (!shares.remove(this)) {
          return;
        }
        running -= held;
        held = 0;
        waiting = 0;
        limitedNow = limited();
        granted = grant();
      }
      tell(granted);
    }

    /** Returns how many slots the job holds now (for tests). */
    int held() {
      synchronized (NodeShares.this) {
        return held;
      }
    }
  }
}
