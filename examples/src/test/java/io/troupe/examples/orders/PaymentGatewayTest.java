package io.troupe.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A gateway on a real journal: charges once per order, after its latency, and survives restart. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class PaymentGatewayTest {

  private ActorTestKit testKit;
  private int gateways;

  @BeforeAll
  void start(@TempDir Path dir) {
    testKit = TestJournals.h2(dir, "gateway-test");
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  private String freshGateway() {
    return PaymentGateway.entityId("job-" + (++gateways), 3);
  }

  private static Terms terms(int latencyMs, double failureRate) {
    return new Terms(10, 8, latencyMs, failureRate, 42);
  }

  private PaymentGateway.Audit audit(ActorRef<PaymentGateway.Command> gateway) {
    TestProbe<PaymentGateway.Audit> probe = testKit.createTestProbe();
    gateway.tell(new PaymentGateway.GetAudit(probe.ref()));
    return probe.receiveMessage();
  }

  @Test
  void charge_sentTwiceWhileTheFirstIsPending_recordsOneCharge() {
    ActorRef<PaymentGateway.Command> gateway =
        testKit.spawn(PaymentGateway.create(freshGateway(), 2));
    TestProbe<PaymentGateway.ChargeResult> probe = testKit.createTestProbe();

    gateway.tell(new PaymentGateway.Charge(5, 1_000, terms(200, 0), probe.ref()));
    gateway.tell(new PaymentGateway.Charge(5, 1_000, terms(200, 0), probe.ref()));

    assertThat(probe.receiveMessage().charged()).isTrue();
    assertThat(probe.receiveMessage().charged()).isTrue();
    PaymentGateway.Audit audit = audit(gateway);
    assertThat(audit.charges()).isEqualTo(Map.of(5, 1));
    assertThat(audit.chargedCents()).isEqualTo(1_000);
    assertThat(audit.gateway()).isEqualTo(3);
  }

  @Test
  void charge_isAnsweredAfterTheLatency_withoutBlockingOtherCommands() {
    ActorRef<PaymentGateway.Command> gateway =
        testKit.spawn(PaymentGateway.create(freshGateway(), 2));
    TestProbe<PaymentGateway.ChargeResult> probe = testKit.createTestProbe();

    gateway.tell(new PaymentGateway.Charge(1, 500, terms(1_000, 0), probe.ref()));

    assertThat(audit(gateway).charges()).as("the gateway answers while a charge waits").isEmpty();
    probe.expectNoMessage(Duration.ofMillis(500));
    assertThat(probe.receiveMessage(Duration.ofSeconds(3)).charged()).isTrue();
  }

  @Test
  void decline_followsTheFailureRate_andIsRecordedWithoutACharge() {
    ActorRef<PaymentGateway.Command> gateway =
        testKit.spawn(PaymentGateway.create(freshGateway(), 2));
    TestProbe<PaymentGateway.ChargeResult> probe = testKit.createTestProbe();

    gateway.tell(new PaymentGateway.Charge(1, 500, terms(0, 1.0), probe.ref()));
    assertThat(probe.receiveMessage().charged()).isFalse();
    gateway.tell(new PaymentGateway.Charge(1, 500, terms(0, 0.0), probe.ref()));
    assertThat(probe.receiveMessage().charged()).as("the recorded decision wins").isFalse();

    PaymentGateway.Audit audit = audit(gateway);
    assertThat(audit.declined()).containsExactly(1);
    assertThat(audit.charges()).isEmpty();
  }

  @Test
  void restart_keepsEveryDecision_andARepeatedChargeAddsNoEvent() {
    String id = freshGateway();
    ActorRef<PaymentGateway.Command> gateway = testKit.spawn(PaymentGateway.create(id, 2));
    TestProbe<PaymentGateway.ChargeResult> probe = testKit.createTestProbe();
    for (int order = 0; order < 5; order++) {
      gateway.tell(new PaymentGateway.Charge(order, 100 + order, terms(0, 0.5), probe.ref()));
      probe.receiveMessage();
    }
    PaymentGateway.Audit before = audit(gateway);

    testKit.stop(gateway);
    ActorRef<PaymentGateway.Command> again = testKit.spawn(PaymentGateway.create(id, 2));
    for (int order = 0; order < 5; order++) {
      again.tell(new PaymentGateway.Charge(order, 100 + order, terms(0, 0.5), probe.ref()));
      assertThat(probe.receiveMessage().charged()).isEqualTo(before.charges().containsKey(order));
    }

    assertThat(audit(again)).isEqualTo(before);
    assertThat(before.charges().size() + before.declined().size()).isEqualTo(5);
    assertThat(before.charges().values()).containsOnly(1);
  }
}
