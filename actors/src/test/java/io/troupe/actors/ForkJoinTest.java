package io.troupe.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class ForkJoinTest {

  @JUnit5TestKit ActorTestKit testKit = TestKits.troupe();

  /** Fibonacci with an actor per call down to a threshold; the classic fork/join example. */
  private static final class Fib implements ForkJoin.Task<Integer, Long> {
    private final int threshold;

    Fib(int threshold) {
      this.threshold = threshold;
    }

    @Override
    public List<Integer> fork(Integer n) {
      return n <= threshold ? List.of() : List.of(n - 1, n - 2);
    }

    @Override
    public Long compute(Integer n) {
      if (n == 13) {
        throw new ArithmeticException("unlucky " + n);
      }
      return n <= 1 ? (long) n : compute(n - 1) + compute(n - 2);
    }

    @Override
    public Long join(List<Long> parts) {
      return parts.get(0) + parts.get(1);
    }
  }

  @Test
  void create_withActorPerCall_combinesChildResults() {
    TestProbe<StatusReply<Long>> probe = testKit.createTestProbe();

    testKit.spawn(ForkJoin.create(new Fib(1), 20, probe.ref()));

    assertThat(probe.receiveMessage(Duration.ofSeconds(10)).getValue()).isEqualTo(6765L);
  }

  @Test
  void create_joinsPartsInForkOrder() {
    TestProbe<StatusReply<String>> probe = testKit.createTestProbe();
    ForkJoin.Task<String, String> reverseHalves =
        new ForkJoin.Task<>() {
          @Override
          public List<String> fork(String s) {
            return s.length() <= 1
                ? List.of()
                : List.of(s.substring(0, s.length() / 2), s.substring(s.length() / 2));
          }

          @Override
          public String compute(String s) {
            return s;
          }

          @Override
          public String join(List<String> parts) {
            return parts.get(0) + parts.get(1);
          }
        };

    testKit.spawn(ForkJoin.create(reverseHalves, "fork-join-keeps-order", probe.ref()));

    assertThat(probe.receiveMessage().getValue()).isEqualTo("fork-join-keeps-order");
  }

  @Test
  void create_whenLeafThrows_answersErrorAtRoot() {
    TestProbe<StatusReply<Long>> probe = testKit.createTestProbe();

    testKit.spawn(ForkJoin.create(new Fib(15), 18, probe.ref()));

    StatusReply<Long> reply = probe.receiveMessage(Duration.ofSeconds(10));
    assertThat(reply.isError()).isTrue();
    assertThat(reply.getError()).isInstanceOf(ArithmeticException.class).hasMessage("unlucky 13");
  }
}
