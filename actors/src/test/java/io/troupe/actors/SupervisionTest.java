package io.troupe.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class SupervisionTest {

  @JUnit5TestKit ActorTestKit testKit = TestKits.troupe();

  private static final Backoff FAST =
      new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), 0.0, 3);

  /** Adds numbers to a running total it reports after each one; "boom" makes it throw. */
  private static Behavior<String> counter(ActorRef<Integer> totals) {
    return Behaviors.setup(
        ctx -> {
          int[] total = {0};
          return Behaviors.receiveMessage(
              msg -> {
                if (msg.startsWith("boom")) {
                  throw new IllegalStateException(msg);
                }
                total[0] += Integer.parseInt(msg);
                totals.tell(total[0]);
                return Behaviors.same();
              });
        });
  }

  @Test
  void restartWithBackoff_whenActorThrows_restartsWithFreshState() {
    TestProbe<Integer> totals = testKit.createTestProbe();
    ActorRef<String> actor =
        testKit.spawn(Supervision.restartWithBackoff(counter(totals.ref()), FAST));

    actor.tell("5");
    totals.expectMessage(5);
    actor.tell("boom");
    actor.tell("1");

    totals.expectMessage(1);
  }

  @Test
  void restartWithBackoff_whenRestartLimitExceeded_stopsActor() {
    TestProbe<Integer> totals = testKit.createTestProbe();
    ActorRef<String> actor =
        testKit.spawn(
            Supervision.restartWithBackoff(counter(totals.ref()), FAST.withMaxRestarts(2)));

    // Sent together: the supervisor stashes them during each backoff and delivers each to the
    // restarted actor, so the failures follow each other before the restart count can reset.
    for (int i = 0; i < 3; i++) {
      actor.tell("boom-" + i);
    }

    totals.expectTerminated(actor, Duration.ofSeconds(3));
  }

  @Test
  void resume_whenActorThrows_keepsStateAndContinues() {
    TestProbe<Integer> totals = testKit.createTestProbe();
    ActorRef<String> actor = testKit.spawn(Supervision.resume(counter(totals.ref())));

    actor.tell("5");
    actor.tell("boom");
    actor.tell("1");

    assertThat(totals.receiveSeveralMessages(2)).containsExactly(5, 6);
  }

  @Test
  void stop_whenActorThrows_stopsIt() {
    TestProbe<Integer> totals = testKit.createTestProbe();
    ActorRef<String> actor = testKit.spawn(Supervision.stop(counter(totals.ref())));

    actor.tell("boom");

    totals.expectTerminated(actor, Duration.ofSeconds(3));
  }

  @Test
  void quarantining_whenMessageAlwaysFails_quarantinesItWithExceptionAndCarriesOn() {
    TestProbe<Integer> totals = testKit.createTestProbe();
    TestProbe<Quarantined<String>> quarantine = testKit.createTestProbe();
    ActorRef<String> actor =
        testKit.spawn(Supervision.quarantining(counter(totals.ref()), 3, FAST, quarantine.ref()));

    actor.tell("boom-poison");
    actor.tell("4");

    Quarantined<String> record = quarantine.receiveMessage(Duration.ofSeconds(5));
    assertThat(record.message()).isEqualTo("boom-poison");
    assertThat(record.errorClass()).isEqualTo(IllegalStateException.class.getName());
    assertThat(record.reason()).isEqualTo("boom-poison");
    assertThat(record.attempts()).isEqualTo(3);
    actor.tell("2");
    List<Integer> seen = totals.receiveSeveralMessages(2);
    assertThat(seen.get(seen.size() - 1)).isEqualTo(2).as("a fresh state after the last restart");
    quarantine.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void quarantining_whenMessageFailsOnceThenSucceeds_doesNotQuarantineIt() {
    TestProbe<String> handled = testKit.createTestProbe();
    TestProbe<Quarantined<String>> quarantine = testKit.createTestProbe();
    int[] failuresLeft = {1};
    Behavior<String> flaky =
        Behaviors.receiveMessage(
            msg -> {
              if (failuresLeft[0]-- > 0) {
                throw new IllegalStateException("transient");
              }
              handled.ref().tell(msg);
              return Behaviors.same();
            });
    ActorRef<String> actor =
        testKit.spawn(Supervision.quarantining(flaky, 3, FAST, quarantine.ref()));

    actor.tell("order-1");

    handled.expectMessage(Duration.ofSeconds(5), "order-1");
    quarantine.expectNoMessage(Duration.ofMillis(200));
  }
}
