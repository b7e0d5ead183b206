package io.troupe.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.troupe.actors.TroupeSystem;
import io.troupe.persistence.internal.LedgerEvent;
import io.troupe.sdk.WorkItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every orders message that crosses nodes, every event and snapshot the entities persist, and the
 * job's items and partials, survive Jackson CBOR.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class OrdersMessagesSerializationTest {

  private final ActorTestKit testKit =
      ActorTestKit.create("orders-serialization", TroupeSystem.config(ConfigFactory.empty()));
  private final SerializationTestKit serialization = new SerializationTestKit(testKit.system());

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  private static final Terms TERMS = new Terms(100, 8, 10, 0.05, -42L);
  private static final OrderLine LINE = new OrderLine(17, 3, 2, 199);

  @Test
  void commandsAndReplies_roundTrip() {
    TestProbe<Order.Outcome> outcomes = testKit.createTestProbe();
    TestProbe<Inventory.Reservation> reservations = testKit.createTestProbe();
    TestProbe<StatusReply<Done>> acks = testKit.createTestProbe();
    TestProbe<Inventory.Audit> inventoryAudits = testKit.createTestProbe();
    TestProbe<PaymentGateway.ChargeResult> charges = testKit.createTestProbe();
    TestProbe<PaymentGateway.Audit> paymentAudits = testKit.createTestProbe();
    List<Object> messages =
        List.of(
            new Order.Place(LINE, TERMS, outcomes.ref()),
            new Order.Outcome(17, Order.Status.REJECTED_OUT_OF_STOCK),
            new Inventory.Reserve(17, 2, 100, reservations.ref()),
            new Inventory.Commit(17, acks.ref()),
            new Inventory.Release(17, acks.ref()),
            new Inventory.GetAudit(100, inventoryAudits.ref()),
            new Inventory.Reservation(17, false),
            inventoryAudit(),
            new PaymentGateway.Charge(17, 398, TERMS, charges.ref()),
            new PaymentGateway.GetAudit(paymentAudits.ref()),
            new PaymentGateway.ChargeResult(17, true),
            paymentAudit());

    for (Object message : messages) {
      serialization.verifySerialization(message, true);
    }
  }

  @Test
  void eventsAndSnapshots_roundTrip() {
    List<Object> persisted =
        List.of(
            new Order.StockReserved(LINE, TERMS),
            new Order.RejectedOutOfStock(LINE),
            new Order.PaymentCharged(17),
            new Order.PaymentDeclined(17),
            new Order.OrderCompleted(17),
            new Order.OrderCompensated(17),
            new Inventory.Stocked(100),
            new Inventory.Reserved(17, 2),
            new Inventory.Refused(18),
            new Inventory.Committed(17),
            new Inventory.Released(17),
            new Inventory.Snapshot(
                true,
                100,
                97,
                90,
                List.of(
                    new Inventory.Held(17, 2, Inventory.Hold.COMMITTED),
                    new Inventory.Held(18, 0, Inventory.Hold.REFUSED))),
            new PaymentGateway.Charged(17, 398),
            new PaymentGateway.Declined(18),
            new PaymentGateway.Snapshot(Map.of(17, 1, 20, 2), List.of(18), 1_194));

    for (Object event : persisted) {
      serialization.verifySerialization(event, true);
    }
  }

  @Test
  void itemsAndPartials_roundTrip_alsoInsideLedgerEvents() {
    List<OrdersTally.Decided> decided = new ArrayList<>();
    decided.add(new OrdersTally.Decided(17, 3, 2, Order.Status.COMPLETED));
    decided.add(new OrdersTally.Decided(18, 0, 1, Order.Status.COMPENSATED));
    OrdersTally tally =
        new OrdersTally(decided, List.of(inventoryAudit()), List.of(paymentAudit()));
    WorkItem<?> item = new WorkItem<>("orders-3", "place", new OrdersPipeline.OrderBatch(300, 100));

    serialization.verifySerialization(tally, true);
    serialization.verifySerialization(item, true);
    LedgerEvent.ItemsCompleted back =
        serialization.verifySerialization(
            new LedgerEvent.ItemsCompleted(new int[] {3, 4}, tally), false);

    assertThat(back.partial()).isEqualTo(tally);
  }

  private static Inventory.Audit inventoryAudit() {
    return new Inventory.Audit(3, 100, 95, 90, List.of(17, 21), List.of(18), List.of(40));
  }

  private static PaymentGateway.Audit paymentAudit() {
    return new PaymentGateway.Audit(1, Map.of(17, 1, 25, 1), List.of(9), 797);
  }
}
