package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** Slots of a node's workers go to waiting jobs in proportion to their priorities. */
final class NodeSharesTest {

  /** A job that always has items: it asks for a slot again whenever one of its items ends. */
  private static final class BusyJob {
    final NodeShares.Share share;
    final Deque<Integer> started = new ArrayDeque<>();
    int grants;

    BusyJob(NodeShares shares, int priority) {
      share = shares.join(priority, () -> grants++);
    }

    void ask(int items) {
      for (int i = 0; i < items; i++) {
        if (share.tryAcquire() != NodeShares.Grant.WAIT) {
          grants++;
        }
      }
    }
  }

  @Test
  void jobsOfDifferentPriorities_startItemsInProportion_whileBothWait() {
    NodeShares shares = new NodeShares(4);
    BusyJob high = new BusyJob(shares, 3);
    BusyJob low = new BusyJob(shares, 1);
    high.ask(100);
    low.ask(100);
    int highBefore = high.grants;
    int lowBefore = low.grants;

    // Items end one at a time, alternately; each ended item's job asks again.
    for (int i = 0; i < 4000; i++) {
      BusyJob ended = high.share.held() > 0 && (i % 2 == 0 || low.share.held() == 0) ? high : low;
      ended.share.release();
      ended.ask(1);
    }

    double ratio = (double) (high.grants - highBefore) / (low.grants - lowBefore);
    assertThat(ratio).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.05));
    assertThat(high.share.held() + low.share.held()).isEqualTo(4);
  }

  @Test
  void jobsOfOnePriority_orAJobAlone_areNotLimited_untilAnotherPriorityJoins() {
    NodeShares shares = new NodeShares(2);
    BusyJob alone = new BusyJob(shares, 5);
    alone.ask(10);
    assertThat(alone.grants).isEqualTo(10);

    BusyJob same = new BusyJob(shares, 5);
    same.ask(10);
    assertThat(same.grants).isEqualTo(10);

    // A job of another priority joins: from now on at most two items are under way (those started
    // before are not counted), and the rest wait for slots.
    BusyJob other = new BusyJob(shares, 1);
    other.ask(1);
    same.ask(3);
    assertThat(other.grants).isEqualTo(1);
    assertThat(same.grants).isEqualTo(11);

    // Once it leaves, the node is not limited any more: the waiting items all start.
    other.share.leave();
    assertThat(same.grants).isEqualTo(13);
  }

  @Test
  void aJobThatLeaves_givesItsSlotsToTheWaiting() {
    NodeShares shares = new NodeShares(2);
    BusyJob a = new BusyJob(shares, 2);
    BusyJob b = new BusyJob(shares, 1);
    a.ask(2);
    b.ask(3);
    assertThat(b.grants).isZero();

    a.share.leave();

    assertThat(b.grants).isEqualTo(3); // alone now: not limited
  }

  @Test
  void aJobBackFromIdle_getsItsShareFromNowOn_notTheSlotsItLeftUnused() {
    NodeShares shares = new NodeShares(1);
    BusyJob busy = new BusyJob(shares, 1);
    BusyJob idle = new BusyJob(shares, 1);
    NodeShares.Share third = shares.join(2, () -> {}); // makes the node limited
    busy.ask(1);
    for (int i = 0; i < 50; i++) {
      busy.ask(1);
      busy.share.release();
    }
    int before = busy.grants;

    // The idle job wakes up and both keep asking: they alternate, the idle one does not get the
    // next 50 slots in a row.
    idle.ask(1);
    for (int i = 0; i < 20; i++) {
      BusyJob holder = busy.share.held() > 0 ? busy : idle;
      holder.ask(1);
      holder.share.release();
    }

    assertThat(busy.grants - before).isBetween(9, 11);
    third.leave();
  }
}
