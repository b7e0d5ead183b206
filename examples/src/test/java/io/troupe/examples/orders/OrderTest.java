package io.troupe.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order saga against probes standing in for inventory, gateway and notifier, on a real journal:
 * every step in turn, repeats answered from the journal, and recovery after a crash that resends
 * the step the order was on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class OrderTest {

  private static final Terms TERMS = new Terms(10, 4, 0, 0.1, 42);

  private ActorTestKit testKit;
  private TestProbe<Inventory.Command> inventory;
  private TestProbe<PaymentGateway.Command> gateway;
  private TestProbe<Notifier.Notify> notifier;
  private int orders;

  @BeforeAll
  void start(@TempDir Path dir) {
    testKit = TestJournals.h2(dir, "order-test");
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void freshProbes() {
    inventory = testKit.createTestProbe();
    gateway = testKit.createTestProbe();
    notifier = testKit.createTestProbe();
  }

  private String freshOrder() {
    return Order.entityId("job-" + (++orders), 9);
  }

  /** Spawns an order whose peers are this test's probes (an earlier test's order keeps its own). */
  private ActorRef<Order.Command> spawn(String id, Duration askTimeout) {
    TestProbe<Inventory.Command> inv = inventory;
    TestProbe<PaymentGateway.Command> pay = gateway;
    TestProbe<Notifier.Notify> note = notifier;
    OrderPeers peers =
        new OrderPeers() {
          @Override
          public RecipientRef<Inventory.Command> inventory(int sku) {
            return inv.ref();
          }

          @Override
          public RecipientRef<PaymentGateway.Command> gateway(int g) {
            return pay.ref();
          }

          @Override
          public RecipientRef<Notifier.Notify> notifier() {
            return note.ref();
          }
        };
    return testKit.spawn(Order.create(id, peers, askTimeout, Duration.ofMillis(50)));
  }

  private static final OrderLine LINE = new OrderLine(9, 2, 3, 150);

  private TestProbe<Order.Outcome> place(ActorRef<Order.Command> order) {
    TestProbe<Order.Outcome> probe = testKit.createTestProbe();
    order.tell(new Order.Place(LINE, TERMS, probe.ref()));
    return probe;
  }

  private Inventory.Reserve answerReserve(boolean reserved) {
    Inventory.Reserve reserve = inventory.expectMessageClass(Inventory.Reserve.class);
    reserve.replyTo().tell(new Inventory.Reservation(reserve.order(), reserved));
    return reserve;
  }

  private PaymentGateway.Charge answerCharge(boolean charged) {
    PaymentGateway.Charge charge = gateway.expectMessageClass(PaymentGateway.Charge.class);
    charge.replyTo().tell(new PaymentGateway.ChargeResult(charge.order(), charged));
    return charge;
  }

  private void answerCommitAndNotify() {
    inventory.expectMessageClass(Inventory.Commit.class).replyTo().tell(StatusReply.ack());
    notifier.expectMessageClass(Notifier.Notify.class).replyTo().tell(Done.getInstance());
  }

  @Test
  void place_runsEveryStepInTurn_andEndsCompleted() {
    ActorRef<Order.Command> order = spawn(freshOrder(), Duration.ofSeconds(10));
    TestProbe<Order.Outcome> outcome = place(order);

    Inventory.Reserve reserve = answerReserve(true);
    PaymentGateway.Charge charge = answerCharge(true);
    answerCommitAndNotify();

    assertThat(outcome.receiveMessage()).isEqualTo(new Order.Outcome(9, Order.Status.COMPLETED));
    assertThat(reserve.units()).isEqualTo(3);
    assertThat(reserve.initialStock()).isEqualTo(10);
    assertThat(charge.amountCents()).isEqualTo(450);
    assertThat(charge.terms()).isEqualTo(TERMS);
  }

  @Test
  void place_whenRepeatedAfterTheEnd_answersFromTheJournal_withoutAnyStep() {
    String id = freshOrder();
    ActorRef<Order.Command> order = spawn(id, Duration.ofSeconds(10));
    TestProbe<Order.Outcome> first = place(order);
    answerReserve(true);
    answerCharge(true);
    answerCommitAndNotify();
    first.receiveMessage();

    testKit.stop(order);
    ActorRef<Order.Command> again = spawn(id, Duration.ofSeconds(10));

    assertThat(place(again).receiveMessage().status()).isEqualTo(Order.Status.COMPLETED);
    assertThat(place(again).receiveMessage().status()).isEqualTo(Order.Status.COMPLETED);
    inventory.expectNoMessage(Duration.ofMillis(200));
    gateway.expectNoMessage(Duration.ofMillis(1));
  }

  @Test
  void declinedPayment_releasesTheReservation_andEndsCompensated() {
    ActorRef<Order.Command> order = spawn(freshOrder(), Duration.ofSeconds(10));
    TestProbe<Order.Outcome> outcome = place(order);

    answerReserve(true);
    answerCharge(false);
    Inventory.Release release = inventory.expectMessageClass(Inventory.Release.class);
    outcome.expectNoMessage(Duration.ofMillis(100));
    release.replyTo().tell(StatusReply.ack());

    assertThat(outcome.receiveMessage().status()).isEqualTo(Order.Status.COMPENSATED);
    assertThat(release.order()).isEqualTo(9);
    notifier.expectNoMessage(Duration.ofMillis(1));
  }

  @Test
  void outOfStock_endsRejected_withoutCharging() {
    ActorRef<Order.Command> order = spawn(freshOrder(), Duration.ofSeconds(10));
    TestProbe<Order.Outcome> outcome = place(order);

    answerReserve(false);

    assertThat(outcome.receiveMessage().status()).isEqualTo(Order.Status.REJECTED_OUT_OF_STOCK);
    gateway.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void crashAfterTheCharge_recoveryResendsTheStepItWasOn_withoutAnyPlace() {
    String id = freshOrder();
    ActorRef<Order.Command> order = spawn(id, Duration.ofSeconds(10));
    place(order);
    answerReserve(true);
    answerCharge(true);
    inventory.expectMessageClass(Inventory.Commit.class); // never answered: the node dies

    testKit.stop(order);
    spawn(id, Duration.ofSeconds(10));

    // Recovered at CHARGED: the commit is sent again, the payment is not.
    inventory.expectMessageClass(Inventory.Commit.class).replyTo().tell(StatusReply.ack());
    notifier.expectMessageClass(Notifier.Notify.class).replyTo().tell(Done.getInstance());
    gateway.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void crashAfterTheReservation_recoveryChargesAgain_andAWaitingPlaceGetsTheOutcome() {
    String id = freshOrder();
    ActorRef<Order.Command> order = spawn(id, Duration.ofSeconds(10));
    place(order);
    answerReserve(true);
    gateway.expectMessageClass(PaymentGateway.Charge.class);

    testKit.stop(order);
    ActorRef<Order.Command> again = spawn(id, Duration.ofSeconds(10));
    TestProbe<Order.Outcome> outcome = place(again);

    answerCharge(true);
    answerCommitAndNotify();
    assertThat(outcome.receiveMessage().status()).isEqualTo(Order.Status.COMPLETED);
    inventory.expectNoMessage(Duration.ofMillis(100)); // no second reservation
  }

  @Test
  void unansweredStep_isSentAgainAfterTheTimeout_andALateDuplicateAnswerIsIgnored() {
    ActorRef<Order.Command> order = spawn(freshOrder(), Duration.ofMillis(300));
    TestProbe<Order.Outcome> outcome = place(order);

    Inventory.Reserve first = inventory.expectMessageClass(Inventory.Reserve.class);
    Inventory.Reserve second = inventory.expectMessageClass(Inventory.Reserve.class);
    second.replyTo().tell(new Inventory.Reservation(9, true));
    first.replyTo().tell(new Inventory.Reservation(9, true));

    answerCharge(true);
    answerCommitAndNotify();
    assertThat(outcome.receiveMessage().status()).isEqualTo(Order.Status.COMPLETED);
    gateway.expectNoMessage(Duration.ofMillis(100)); // the duplicate answer charged nothing
  }
}
