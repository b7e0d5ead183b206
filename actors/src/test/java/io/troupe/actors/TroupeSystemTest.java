package io.troupe.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class TroupeSystemTest {

  @JUnit5TestKit ActorTestKit testKit = TestKits.troupe();

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  @Test
  void config_byDefault_sizesDefaultDispatcherToCores() {
    Config config = TroupeSystem.config(ConfigFactory.empty());
    Config fj = config.getConfig("pekko.actor.default-dispatcher.fork-join-executor");

    assertThat(fj.getInt("parallelism-min")).isEqualTo(CORES);
    assertThat(fj.getInt("parallelism-max")).isEqualTo(CORES);
    assertThat(config.getInt("pekko.actor.default-dispatcher.throughput"))
        .isEqualTo(config.getInt("troupe.actors.throughput"));
    assertThat(fj.getString("task-peeking-mode")).isEqualTo("LIFO");
  }

  @Test
  void config_whenTaskPeekingModeUnknown_failsWithClearMessage() {
    assertThatThrownBy(
            () ->
                TroupeSystem.config(
                    ConfigFactory.parseString("troupe.actors.task-peeking-mode = random")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("troupe.actors.task-peeking-mode must be \"LIFO\" or \"FIFO\", was \"random\"");
  }

  @Test
  void config_whenApplicationSetsPekkoKey_applicationWins() {
    Config config =
        TroupeSystem.config(
            ConfigFactory.parseString(
                "pekko.actor.default-dispatcher.throughput = 7\n"
                    + "troupe.actors.parallelism = 3"));

    assertThat(config.getInt("pekko.actor.default-dispatcher.throughput")).isEqualTo(7);
    assertThat(config.getInt("pekko.actor.default-dispatcher.fork-join-executor.parallelism-max"))
        .isEqualTo(3);
  }

  @Test
  void config_whenParallelismInvalid_failsWithClearMessage() {
    assertThatThrownBy(
            () -> TroupeSystem.config(ConfigFactory.parseString("troupe.actors.parallelism = 0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("troupe.actors.parallelism must be \"auto\" or >= 1, was 0");
  }

  @Test
  void create_startsSystemWithTroupeDispatcher() {
    ActorSystem<String> system =
        TroupeSystem.create(Behaviors.ignore(), "bootstrap-test", ConfigFactory.empty());
    try {
      assertThat(
              system
                  .settings()
                  .config()
                  .getInt("pekko.actor.default-dispatcher.fork-join-executor.parallelism-max"))
          .isEqualTo(CORES);
      assertThat(TroupeSettings.create(system).parallelism()).isEqualTo(CORES);
    } finally {
      ActorTestKit.shutdown(system, Duration.ofSeconds(10));
    }
  }

  @Test
  void blockingDispatcher_runsActorsOnItsOwnThreads() {
    TestProbe<String> probe = testKit.createTestProbe();
    ActorRef<String> actor =
        testKit.spawn(
            Behaviors.receiveMessage(
                (String msg) -> {
                  probe.ref().tell(Thread.currentThread().getName());
                  return Behaviors.same();
                }),
            "blocking",
            TroupeSettings.create(testKit.system()).blockingDispatcher());

    actor.tell("where");

    assertThat(probe.receiveMessage()).contains("troupe.actors.blocking-dispatcher");
  }

  @Test
  void actor_processesMessagesFromOneSenderInSendOrder() {
    TestProbe<Integer> probe = testKit.createTestProbe();
    ActorRef<Integer> echo =
        testKit.spawn(
            Behaviors.receiveMessage(
                (Integer n) -> {
                  probe.ref().tell(n);
                  return Behaviors.same();
                }));
    int count = 10_000;

    for (int i = 0; i < count; i++) {
      echo.tell(i);
    }

    for (int i = 0; i < count; i++) {
      assertThat(probe.receiveMessage()).isEqualTo(i);
    }
  }
}
