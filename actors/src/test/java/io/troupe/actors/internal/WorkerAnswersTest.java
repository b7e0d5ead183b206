package io.troupe.actors.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.troupe.actors.Work;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class WorkerAnswersTest {

  private final ActorTestKit testKit = ActorTestKit.create();

  /** Answers close together are held for long enough that no machine sends them apart. */
  private static final WorkerAnswers.Settings HOLD =
      new WorkerAnswers.Settings(Duration.ofMinutes(5), 3, Duration.ofMinutes(5));

  @AfterAll
  void shutDown() {
    testKit.shutdownTestKit();
  }

  private WorkerAnswers<Integer> sink(
      TestProbe<Work.Outcome<Integer>> probe, WorkerAnswers.Settings settings) {
    return new WorkerAnswers<>(
        probe.getRef(), testKit.scheduler(), testKit.system().executionContext(), settings);
  }

  private static void handOut(WorkerAnswers<Integer> sink, int items) {
    for (int i = 0; i < items; i++) {
      sink.handedOut();
    }
  }

  @SuppressWarnings("unchecked") // the probe's outcomes are of Integer
  private static Work.Answers<Integer> answers(TestProbe<Work.Outcome<Integer>> probe) {
    return (Work.Answers<Integer>) probe.expectMessageClass(Work.Answers.class);
  }

  @Test
  void accept_sendsTheFirstAnswerAtOnceAndHoldsTheNextOnesUntilTheWorkerHasAnsweredAll() {
    TestProbe<Work.Outcome<Integer>> probe = testKit.createTestProbe();
    WorkerAnswers<Integer> sink = sink(probe, HOLD);
    handOut(sink, 3);
    long before = System.nanoTime();

    sink.accept(new Work.Completed<>(1, 10));
    assertThat(answers(probe).outcomes()).containsExactly(new Work.Completed<>(1, 10));
    sink.accept(new Work.Completed<>(2, 20));
    probe.expectNoMessage(Duration.ofMillis(200));
    Throwable error = new IllegalStateException("bad item");
    sink.accept(new Work.Failed<>(3, error));

    Work.Answers<Integer> both = answers(probe);
    assertThat(both.outcomes())
        .containsExactly(new Work.Completed<>(2, 20), new Work.Failed<>(3, error));
    assertThat(both.answeredNanos()).hasSize(2);
    assertThat(both.answeredNanos()[0]).isBetween(before, both.answeredNanos()[1]);
  }

  @Test
  void accept_sendsWhenMaxBatchAnswersWait() {
    TestProbe<Work.Outcome<Integer>> probe = testKit.createTestProbe();
    WorkerAnswers<Integer> sink = sink(probe, HOLD);
    handOut(sink, 10);
    sink.accept(new Work.Completed<>(1, 1));
    answers(probe);

    for (int id = 2; id <= 4; id++) {
      sink.accept(new Work.Completed<>(id, id));
    }

    assertThat(answers(probe).outcomes()).extracting(Work.Outcome::id).containsExactly(2L, 3L, 4L);
    probe.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void accept_sendsEachAnswerOnItsOwnWhenAnswersComeFurtherApartThanTheWindow() {
    TestProbe<Work.Outcome<Integer>> probe = testKit.createTestProbe();
    WorkerAnswers<Integer> sink =
        sink(probe, new WorkerAnswers.Settings(Duration.ofNanos(1), 64, Duration.ofMinutes(5)));
    handOut(sink, 10);

    for (int id = 1; id <= 3; id++) {
      sink.accept(new Work.Completed<>(id, id));
      assertThat(answers(probe).outcomes()).containsExactly(new Work.Completed<>(id, id));
    }
  }

  @Test
  void accept_flushesAHeldAnswerAfterTheLingerWhenNoOtherAnswerComes() {
    TestProbe<Work.Outcome<Integer>> probe = testKit.createTestProbe();
    WorkerAnswers<Integer> sink =
        sink(probe, new WorkerAnswers.Settings(Duration.ofMinutes(5), 64, Duration.ofMillis(20)));
    handOut(sink, 3);
    sink.accept(new Work.Completed<>(1, 1));
    answers(probe);

    // Item 3 is, say, hung: item 2's answer must not wait for it.
    sink.accept(new Work.Completed<>(2, 2));

    assertThat(answers(probe).outcomes()).containsExactly(new Work.Completed<>(2, 2));
  }

  @Test
  void accept_withTheSettingsOff_tellsEachOutcomeAsItIs() {
    TestProbe<Work.Outcome<Integer>> probe = testKit.createTestProbe();
    WorkerAnswers<Integer> sink = sink(probe, WorkerAnswers.Settings.OFF);
    handOut(sink, 2);

    sink.accept(new Work.Completed<>(1, 1));
    sink.accept(new Work.Completed<>(2, 2));

    probe.expectMessage(new Work.Completed<>(1, 1));
    probe.expectMessage(new Work.Completed<>(2, 2));
  }

  @Test
  void drain_takesTheHeldAnswersOut() {
    TestProbe<Work.Outcome<Integer>> probe = testKit.createTestProbe();
    WorkerAnswers<Integer> sink = sink(probe, HOLD);
    handOut(sink, 3);
    sink.accept(new Work.Completed<>(1, 1));
    answers(probe);
    sink.accept(new Work.Completed<>(2, 2));

    assertThat(sink.drain().outcomes()).containsExactly(new Work.Completed<>(2, 2));
    assertThat(sink.drain()).isNull();
    probe.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void read_namesTheSectionOfAValueOutOfRange() {
    assertThatThrownBy(
            () ->
                WorkerAnswers.Settings.read(
                    ConfigFactory.parseString("window = -1ms, max-batch = 8, linger = 1ms")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("troupe.actors.worker-answers");
    assertThatThrownBy(
            () ->
                WorkerAnswers.Settings.read(
                    ConfigFactory.parseString("window = 1ms, max-batch = 0, linger = 1ms")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-batch");
  }

  @Test
  void from_readsTheDefaultsAndTurnsOffWhenTheSectionIsMissing() {
    WorkerAnswers.Settings defaults = WorkerAnswers.Settings.from(ConfigFactory.load());
    assertThat(defaults.window()).isPositive();
    assertThat(defaults.maxBatch()).isGreaterThan(1);
    assertThat(WorkerAnswers.Settings.from(ConfigFactory.empty()))
        .isEqualTo(WorkerAnswers.Settings.OFF);
  }
}
