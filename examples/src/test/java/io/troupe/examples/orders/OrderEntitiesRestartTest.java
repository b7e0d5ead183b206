package io.troupe.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.persistence.testing.FailingJournal;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The orders example's entities, when a journal write fails, restart in place and recover what
 * their journal holds, and nothing they had applied before: a charge recovered twice would show in
 * the audit as a double charge that never happened, a reservation as stock held for an order that
 * never got it. Runs on Pekko's persistence test kit, which fails a write on demand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class OrderEntitiesRestartTest {

  private ActorTestKit testKit;
  private PersistenceTestKit journal;

  @BeforeAll
  void start() {
    FailingJournal kit = FailingJournal.start("order-entities-restart-test");
    testKit = kit.testKit();
    journal = kit.journal();
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void gateway_afterAFailedWrite_recoversEachChargeOnce() {
    ActorRef<PaymentGateway.Command> gateway =
        testKit.spawn(PaymentGateway.create(PaymentGateway.entityId("job-restart", 1), 1_000));
    TestProbe<PaymentGateway.ChargeResult> probe = testKit.createTestProbe();
    Terms terms = new Terms(10, 8, 0, 0.0, 42);
    gateway.tell(new PaymentGateway.Charge(1, 700, terms, probe.ref()));
    assertThat(probe.receiveMessage().charged()).isTrue();

    journal.failNextPersisted();
    gateway.tell(new PaymentGateway.Charge(2, 300, terms, probe.ref()));
    probe.expectNoMessage(Duration.ofMillis(300));

    TestProbe<PaymentGateway.Audit> audit = testKit.createTestProbe();
    gateway.tell(new PaymentGateway.GetAudit(audit.ref()));
    PaymentGateway.Audit after = audit.receiveMessage(Duration.ofSeconds(10));
    assertThat(after.charges()).isEqualTo(Map.of(1, 1));
    assertThat(after.chargedCents()).isEqualTo(700);
  }

  @Test
  void inventory_afterAFailedWrite_holdsOnlyTheReservationsItsJournalHolds() {
    ActorRef<Inventory.Command> inventory =
        testKit.spawn(Inventory.create(Inventory.entityId("job-restart", 4), 1_000));
    TestProbe<Inventory.Reservation> probe = testKit.createTestProbe();
    inventory.tell(new Inventory.Reserve(1, 3, 10, probe.ref()));
    assertThat(probe.receiveMessage().reserved()).isTrue();

    journal.failNextPersisted();
    inventory.tell(new Inventory.Reserve(2, 2, 10, probe.ref()));
    probe.expectNoMessage(Duration.ofMillis(300));

    TestProbe<Inventory.Audit> audit = testKit.createTestProbe();
    inventory.tell(new Inventory.GetAudit(10, audit.ref()));
    Inventory.Audit after = audit.receiveMessage(Duration.ofSeconds(10));
    assertThat(after.outstanding()).containsExactly(1);
    assertThat(after.available()).isEqualTo(7);
  }
}
