package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import org.junit.jupiter.api.Test;

/** The hosts of a job: credit, the least loaded first, hand-outs lost with a host. */
final class HostDirectoryTest {

  private record Part(int n) implements TroupeMessage {}

  private static final WorkItem<?>[] ONE = {new WorkItem<>("a", "work", new Part(1))};

  @Test
  void freeHost_isTheLeastLoaded_andNoneOnceEveryCreditIsUsed() {
    HostDirectory<String> hosts = new HostDirectory<>();
    hosts.add("a", "node-a", 1, 2);
    hosts.add("b", "node-b", 1, 1);

    String first = hosts.freeHost();
    hosts.handOut(first, new int[] {0}, ONE);
    String second = hosts.freeHost();
    assertThat(second).as("the idle one").isNotEqualTo(first);
    hosts.handOut(second, new int[] {1}, ONE);
    hosts.handOut(hosts.freeHost(), new int[] {2}, ONE);

    assertThat(hosts.freeHost()).isNull();
    assertThat(hosts.freeCredit()).isZero();
    assertThat(hosts.itemsInFlight()).isEqualTo(3);
  }

  @Test
  void finish_freesCredit_onceOnly_andRemove_returnsWhatTheHostHeld() {
    HostDirectory<String> hosts = new HostDirectory<>();
    hosts.add("a", "node-a", 2, 2);
    assertThat(hosts.add("a", "node-a", 2, 2)).as("known already").isFalse();
    HostDirectory.HandOut<String> one = hosts.handOut("a", new int[] {4, 5}, ONE);
    HostDirectory.HandOut<String> two = hosts.handOut("a", new int[] {6}, ONE);

    assertThat(hosts.finish(one.id())).isSameAs(one);
    assertThat(hosts.finish(one.id())).as("a duplicate answer").isNull();
    assertThat(hosts.remove("a")).containsExactly(two);
    assertThat(hosts.has("a")).isFalse();
    assertThat(hosts.finish(two.id())).as("lost with its host").isNull();
    assertThat(hosts.itemsInFlight()).isZero();
  }

  @Test
  void retire_givesALeavingHostNothingMore_whileItsHandOutsStayUntilAnswered() {
    HostDirectory<String> hosts = new HostDirectory<>();
    hosts.add("a", "node-a", 1, 2);
    hosts.add("b", "node-b", 1, 2);
    HostDirectory.HandOut<String> held =
        hosts.handOut("a", new int[] {0, 1}, new WorkItem<?>[] {null, null});

    assertThat(hosts.retire("a")).isTrue();
    assertThat(hosts.retire("c")).as("unknown").isFalse();
    assertThat(hosts.isLeaving("a")).isTrue();
    assertThat(hosts.isLeaving("b")).isFalse();
    assertThat(hosts.freeCredit()).as("only b's").isEqualTo(2);
    assertThat(hosts.freeHost()).isEqualTo("b");
    hosts.handOut("b", new int[] {2}, new WorkItem<?>[] {null});
    hosts.handOut("b", new int[] {3}, new WorkItem<?>[] {null});
    assertThat(hosts.freeHost()).as("a has credit left, but leaves").isNull();
    assertThat(hosts.itemsInFlight()).isEqualTo(4);
    assertThat(hosts.finish(held.id())).isEqualTo(held);
    assertThat(hosts.freeHost()).isNull();
  }

  @Test
  void handOutIds_ofTwoDirectories_differ() {
    HostDirectory<String> a = new HostDirectory<>();
    HostDirectory<String> b = new HostDirectory<>();
    a.add("h", "n", 1, 1);
    b.add("h", "n", 1, 1);

    assertThat(a.handOut("h", new int[] {0}, ONE).id())
        .as("an answer to an earlier coordinator matches no hand-out of a new one")
        .isNotEqualTo(b.handOut("h", new int[] {0}, ONE).id());
  }

  @Test
  void stillHeld_restartsTheClockOfTheHandOutsTheHostNames_only() throws Exception {
    HostDirectory<String> hosts = new HostDirectory<>();
    hosts.add("a", "n1", 1, 4);
    hosts.add("b", "n2", 1, 4);
    HostDirectory.HandOut<String> waiting = hosts.handOut("a", new int[] {0}, ONE);
    HostDirectory.HandOut<String> lost = hosts.handOut("a", new int[] {1}, ONE);
    HostDirectory.HandOut<String> others = hosts.handOut("b", new int[] {2}, ONE);
    long later = waiting.handedOutNanos() + 1_000_000_000L;

    // Host a holds the first; it never got the second; it cannot speak for b's.
    hosts.stillHeld("a", new long[] {waiting.id(), others.id(), 12345L}, later);

    java.util.Map<Long, Long> clocks = new java.util.HashMap<>();
    hosts.inFlightWhere(h -> true).forEach(h -> clocks.put(h.id(), h.handedOutNanos()));
    assertThat(clocks)
        .containsEntry(waiting.id(), later)
        .containsEntry(lost.id(), lost.handedOutNanos())
        .containsEntry(others.id(), others.handedOutNanos());
  }
}
