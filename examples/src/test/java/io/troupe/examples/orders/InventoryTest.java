package io.troupe.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An inventory on a real journal: idempotent by order, never below zero, the same after restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class InventoryTest {

  private ActorTestKit testKit;
  private int skus;

  @BeforeAll
  void start(@TempDir Path dir) {
    testKit = TestJournals.h2(dir, "inventory-test");
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  /** A fresh SKU; snapshots every 3 events, so restarts go through snapshots too. */
  private String freshSku() {
    return Inventory.entityId("job-" + (++skus), 7);
  }

  private ActorRef<Inventory.Command> spawn(String id) {
    return testKit.spawn(Inventory.create(id, 3));
  }

  private Inventory.Reservation reserve(ActorRef<Inventory.Command> inv, int order, int units) {
    TestProbe<Inventory.Reservation> probe = testKit.createTestProbe();
    inv.tell(new Inventory.Reserve(order, units, 10, probe.ref()));
    return probe.receiveMessage();
  }

  private StatusReply<Done> settle(ActorRef<Inventory.Command> inv, int order, boolean commit) {
    TestProbe<StatusReply<Done>> probe = testKit.createTestProbe();
    inv.tell(
        commit
            ? new Inventory.Commit(order, probe.ref())
            : new Inventory.Release(order, probe.ref()));
    return probe.receiveMessage();
  }

  private Inventory.Audit audit(ActorRef<Inventory.Command> inv) {
    TestProbe<Inventory.Audit> probe = testKit.createTestProbe();
    inv.tell(new Inventory.GetAudit(10, probe.ref()));
    return probe.receiveMessage();
  }

  @Test
  void reserve_whenRepeated_reservesOnce() {
    ActorRef<Inventory.Command> inv = spawn(freshSku());

    assertThat(reserve(inv, 1, 3).reserved()).isTrue();
    assertThat(reserve(inv, 1, 3).reserved()).isTrue();

    Inventory.Audit a = audit(inv);
    assertThat(a.available()).isEqualTo(7);
    assertThat(a.outstanding()).containsExactly(1);
    assertThat(a.sku()).isEqualTo(7);
  }

  @Test
  void reserve_whenShort_refusesForGood_evenAfterUnitsComeBack() {
    ActorRef<Inventory.Command> inv = spawn(freshSku());
    assertThat(reserve(inv, 1, 8).reserved()).isTrue();

    assertThat(reserve(inv, 2, 3).reserved()).as("2 left, 3 wanted").isFalse();
    assertThat(settle(inv, 1, false).isSuccess()).isTrue();

    assertThat(reserve(inv, 2, 3).reserved())
        .as("the order took the first answer; a late yes would leak its units")
        .isFalse();
    assertThat(audit(inv).available()).isEqualTo(10);
    assertThat(settle(inv, 2, true).isError()).as("a refused order holds nothing").isTrue();
  }

  @Test
  void stock_neverGoesBelowZero_whenOrdersAskForMoreThanThereIs() {
    ActorRef<Inventory.Command> inv = spawn(freshSku());
    int granted = 0;
    for (int order = 0; order < 8; order++) {
      if (reserve(inv, order, 3).reserved()) {
        granted++;
      }
    }

    Inventory.Audit a = audit(inv);
    assertThat(granted).isEqualTo(3);
    assertThat(a.available()).isEqualTo(1);
    assertThat(a.minAvailable()).isEqualTo(1);
  }

  @Test
  void commitAndRelease_areIdempotent_andOnlyReleaseGivesUnitsBack() {
    ActorRef<Inventory.Command> inv = spawn(freshSku());
    reserve(inv, 1, 2);
    reserve(inv, 2, 3);

    assertThat(settle(inv, 1, true).isSuccess()).isTrue();
    assertThat(settle(inv, 1, true).isSuccess()).isTrue();
    assertThat(settle(inv, 2, false).isSuccess()).isTrue();
    assertThat(settle(inv, 2, false).isSuccess()).isTrue();

    Inventory.Audit a = audit(inv);
    assertThat(a.available()).isEqualTo(8);
    assertThat(a.minAvailable()).isEqualTo(5);
    assertThat(a.committed()).containsExactly(1);
    assertThat(a.released()).containsExactly(2);
    assertThat(a.outstanding()).isEmpty();
    assertThat(settle(inv, 1, false).isError()).as("sold units cannot come back").isTrue();
    assertThat(settle(inv, 2, true).isError()).as("released units cannot be sold").isTrue();
    assertThat(settle(inv, 3, true).getError().getMessage())
        .isEqualTo("order 3 holds nothing at sku-7, cannot be COMMITTED");
  }

  @Test
  void restart_recoversStockHoldsAndLowestStock_fromJournalAndSnapshots() {
    String id = freshSku();
    ActorRef<Inventory.Command> inv = spawn(id);
    for (int order = 0; order < 4; order++) {
      reserve(inv, order, 2);
    }
    settle(inv, 0, true);
    settle(inv, 1, false);
    settle(inv, 2, false);
    Inventory.Audit before = audit(inv);

    testKit.stop(inv);
    ActorRef<Inventory.Command> again = spawn(id);

    assertThat(audit(again)).isEqualTo(before);
    assertThat(before.available()).isEqualTo(6);
    assertThat(before.minAvailable()).isEqualTo(2);
    assertThat(reserve(again, 1, 2).reserved()).as("still known after restart").isTrue();
    assertThat(audit(again).available()).as("and not reserved twice").isEqualTo(6);
  }

  @Test
  void audit_ofAnUntouchedSku_reportsTheInitialStock() {
    Inventory.Audit a = audit(spawn(freshSku()));

    assertThat(a.initial()).isEqualTo(10);
    assertThat(a.available()).isEqualTo(10);
    assertThat(a.minAvailable()).isEqualTo(10);
  }
}
