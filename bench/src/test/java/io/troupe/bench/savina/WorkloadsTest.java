package io.troupe.bench.savina;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.typesafe.config.ConfigFactory;
import io.troupe.bench.Configurations;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Each workload at a small size computes the right result on both configurations; the expected
 * values here are written out by hand, not taken from the workload definitions.
 */
final class WorkloadsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static ActorSystem<SpawnProtocol.Command> troupe;
  private static ActorSystem<SpawnProtocol.Command> pekkoDefault;
  private static JdkPools pools;

  @BeforeAll
  static void startSystems() {
    // Start logging before the systems do, so SLF4J has no start-up calls to replay.
    LoggerFactory.getILoggerFactory();
    troupe = Configurations.start("troupe", Configurations.troupe(ConfigFactory.empty()));
    pekkoDefault = Configurations.start("pekko-default", Configurations.pekkoDefault());
    pools = new JdkPools(2);
  }

  @AfterAll
  static void stopSystems() {
    troupe.terminate();
    pekkoDefault.terminate();
    troupe.getWhenTerminated().toCompletableFuture().join();
    pekkoDefault.getWhenTerminated().toCompletableFuture().join();
    pools.close();
  }

  /**
   * The configurations under test. Tests take this enum rather than the systems themselves because
   * JUnit closes {@link AutoCloseable} arguments after each invocation, and an {@link ActorSystem}
   * is one: the first test would terminate it.
   */
  enum Setup {
    TROUPE,
    PEKKO_DEFAULT;

    ActorSystem<SpawnProtocol.Command> system() {
      return this == TROUPE ? troupe : pekkoDefault;
    }
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void pingPong_atSmallSize_receivesOnePongPerPing(Setup setup) throws InterruptedException {
    assertThat(PingPong.workload(1_000).runOnActors(setup.system(), TIMEOUT).value())
        .isEqualTo(1_000);
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void counting_atSmallSize_countsEveryIncrement(Setup setup) throws InterruptedException {
    assertThat(Counting.workload(10_000).runOnActors(setup.system(), TIMEOUT).value())
        .isEqualTo(10_000);
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void threadRing_atSmallSize_countsEveryHop(Setup setup) throws InterruptedException {
    assertThat(ThreadRing.workload(10, 1_005).runOnActors(setup.system(), TIMEOUT).value())
        .isEqualTo(1_005);
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void threadRing_withOneMember_passesTheTokenToItself(Setup setup) throws InterruptedException {
    assertThat(ThreadRing.workload(1, 50).runOnActors(setup.system(), TIMEOUT).value())
        .isEqualTo(50);
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void big_atSmallSize_answersEveryPing(Setup setup) throws InterruptedException {
    assertThat(Big.workload(10, 100).runOnActors(setup.system(), TIMEOUT).value()).isEqualTo(1_000);
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void chameneos_atSmallSize_countsTwoParticipantsPerMeeting(Setup setup)
      throws InterruptedException {
    assertThat(ChameneosMall.workload(10, 1_000).runOnActors(setup.system(), TIMEOUT).value())
        .isEqualTo(2_000);
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void fibonacci_ofFifteen_is610(Setup setup) throws InterruptedException {
    assertThat(Fibonacci.workload(15).runOnActors(setup.system(), TIMEOUT).value()).isEqualTo(610);
  }

  @ParameterizedTest
  @EnumSource(Setup.class)
  void forkJoinThroughput_atSmallSize_processesEveryMessage(Setup setup)
      throws InterruptedException {
    assertThat(ForkJoinThroughput.workload(6, 100).runOnActors(setup.system(), TIMEOUT).value())
        .isEqualTo(600);
  }

  @Test
  void jdkBaselines_atSmallSize_computeTheSameResults() throws InterruptedException {
    assertThat(PingPong.workload(1_000).runOnJdk(pools).value()).isEqualTo(1_000);
    assertThat(Counting.workload(10_000).runOnJdk(pools).value()).isEqualTo(10_000);
    assertThat(Fibonacci.workload(15).runOnJdk(pools).value()).isEqualTo(610);
    assertThat(ForkJoinThroughput.workload(6, 100).runOnJdk(pools).value()).isEqualTo(600);
  }

  @Test
  void fib_ofFirstArguments_followsTheDefinition() {
    assertThat(Stream.of(0, 1, 2, 3, 4, 5, 6, 25).map(Fibonacci::fib))
        .containsExactly(0L, 1L, 1L, 2L, 3L, 5L, 8L, 75_025L);
  }

  @Test
  void complement_ofTwoColours_isTheirOwnIfEqualElseTheThird() {
    assertThat(Chameneo.Color.RED.complement(Chameneo.Color.RED)).isEqualTo(Chameneo.Color.RED);
    assertThat(Chameneo.Color.RED.complement(Chameneo.Color.BLUE)).isEqualTo(Chameneo.Color.YELLOW);
    assertThat(Chameneo.Color.BLUE.complement(Chameneo.Color.YELLOW)).isEqualTo(Chameneo.Color.RED);
  }

  @Test
  void suite_atFullSize_expectsTheSavinaResults() {
    assertThat(SavinaSuite.workloads())
        .extracting(Workload::name, Workload::expected)
        .containsExactly(
            tuple("PingPong", 1_000_000L),
            tuple("Counting", 10_000_000L),
            tuple("ThreadRing", 1_000_000L),
            tuple("Big", 2_400_000L),
            tuple("Chameneos", 400_000L),
            tuple("Fibonacci", 75_025L),
            tuple("ForkJoinThroughput", 600_000L));
  }

  @Test
  void runOnActors_whenResultIsWrong_throwsNamingBothValues() {
    Workload wrong =
        new Workload(
            "Wrong",
            "completes with 41 where 42 is due",
            42,
            result ->
                Behaviors.setup(
                    context -> {
                      result.complete(new Measurement(41, 1));
                      return Behaviors.stopped();
                    }),
            Optional.empty());

    assertThatThrownBy(() -> wrong.runOnActors(troupe, TIMEOUT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Wrong computed 41 but must compute 42");
  }

  @Test
  void runOnActors_whenDriverFails_throwsWithItsCause() {
    Workload failing =
        new Workload(
            "Failing",
            "throws while starting",
            1,
            result ->
                Behaviors.setup(
                    context -> {
                      throw new IllegalStateException("driver broke");
                    }),
            Optional.empty());

    assertThatThrownBy(() -> failing.runOnActors(troupe, TIMEOUT))
        .isInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("driver broke");
  }

  @Test
  void runOnActors_whenDriverStopsWithoutResult_throws() {
    Workload silent =
        new Workload("Silent", "stops at once", 1, result -> Behaviors.stopped(), Optional.empty());

    assertThatThrownBy(() -> silent.runOnActors(troupe, TIMEOUT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the driver stopped without a result");
  }

  @Test
  void runOnJdk_withoutBaseline_throws() {
    assertThatThrownBy(() -> Big.workload(2, 1).runOnJdk(pools))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Big has no JDK baseline");
  }
}
