package io.troupe.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What an item that throws costs a pooled worker ({@link Workers#supervised}). Several tests use a
 * backoff of 30 s: a worker that were put into backoff where it must not be could not answer within
 * the tests' timeouts, so no test depends on how fast the machine is.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class WorkerFailuresTest {

  @JUnit5TestKit ActorTestKit testKit = TestKits.troupe();

  private static final Duration HALF_A_MINUTE = Duration.ofSeconds(30);

  /** Backs off for half a minute from the third failure in a row; never stops a worker. */
  private static final Backoff SLOW = new Backoff(HALF_A_MINUTE, HALF_A_MINUTE, 0.0, -1, 2);

  /** Answers with the item's length; throws on an item starting with "bad". */
  private static Behavior<Work<String, Integer>> picky() {
    return Behaviors.receiveMessage(
        work -> {
          if (work.item().startsWith("bad")) {
            throw new IllegalArgumentException(work.item());
          }
          work.reply(work.item().length());
          return Behaviors.same();
        });
  }

  @Test
  void pool_whenOneItemInTwentyThrows_answersTheRestAndQuarantinesTheBadWithoutBackoff() {
    // The shipped 4 immediate restarts: above the 3 attempts, so no bad item backs a worker off.
    Behavior<Work<Integer, Integer>> worker =
        Behaviors.receiveMessage(
            work -> {
              if (work.item() % 20 == 7) {
                throw new IllegalStateException("bad item " + work.item());
              }
              work.reply(work.item() * 2);
              return Behaviors.same();
            });
    PoolSettings settings =
        PoolSettings.create(testKit.system(), 2)
            .withMaxAttempts(3)
            .withBackoff(SLOW.withImmediateRestarts(4));
    TestProbe<Quarantined<Integer>> quarantine = testKit.createTestProbe();
    ActorRef<WorkerPool.Command<Integer, Integer>> pool =
        testKit.spawn(WorkerPool.create(settings, worker, quarantine.ref()));
    TestProbe<StatusReply<Integer>> replies = testKit.createTestProbe();

    for (int i = 0; i < 200; i++) {
      pool.tell(new WorkerPool.Submit<>(i, replies.ref()));
    }

    List<StatusReply<Integer>> answers =
        replies.receiveSeveralMessages(200, Duration.ofSeconds(20));
    assertThat(answers)
        .filteredOn(StatusReply::isSuccess)
        .extracting(StatusReply::getValue)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 200).filter(i -> i % 20 != 7).mapToObj(i -> i * 2).toList());
    assertThat(answers)
        .filteredOn(StatusReply::isError)
        .hasSize(10)
        .allSatisfy(a -> assertThat(a.getError()).isInstanceOf(QuarantinedException.class));
    assertThat(quarantine.receiveSeveralMessages(10))
        .allSatisfy(q -> assertThat(q.attempts()).isEqualTo(3))
        .extracting(Quarantined::message)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 200).filter(i -> i % 20 == 7).boxed().toList());
    TestProbe<WorkerPool.Stats> stats = testKit.createTestProbe();
    pool.tell(new WorkerPool.GetStats<>(stats.ref()));
    WorkerPool.Stats s = stats.receiveMessage();
    assertThat(s.retried()).isEqualTo(20);
    assertThat(s.workers()).isEqualTo(2);
  }

  @Test
  void worker_whenEveryItemThrows_backsOffAfterItsImmediateRestarts() {
    TestProbe<StatusReply<Integer>> replies = testKit.createTestProbe();
    ActorRef<WorkerPool.Command<String, Integer>> pool =
        testKit.spawn(
            WorkerPool.create(
                PoolSettings.create(testKit.system(), 1).withMaxAttempts(1).withBackoff(SLOW),
                picky(),
                null));

    // Failures 1 and 2 in a row restart the worker at once; the 3rd backs it off for 30 s.
    LoggingTestKit.warn("restarting it in [30000] ms")
        .expect(
            testKit.system(),
            () -> {
              for (int i = 1; i <= 5; i++) {
                pool.tell(new WorkerPool.Submit<>("bad-" + i, replies.ref()));
              }
              return replies.receiveSeveralMessages(3, Duration.ofSeconds(10));
            });

    // The 4th item waits for the restart, half a minute away.
    replies.expectNoMessage(Duration.ofSeconds(2));
  }

  @Test
  void worker_whenSuccessesComeBetweenFailures_isNeverBackedOff() {
    TestProbe<StatusReply<Integer>> replies = testKit.createTestProbe();
    ActorRef<WorkerPool.Command<String, Integer>> pool =
        testKit.spawn(
            WorkerPool.create(
                PoolSettings.create(testKit.system(), 1).withMaxAttempts(1).withBackoff(SLOW),
                picky(),
                null));

    // Six failures, never more than two in a row: each success resets the count.
    List<String> items = List.of("bad", "bad", "ok", "bad", "bad", "ok", "bad", "bad", "ok");
    for (String item : items) {
      pool.tell(new WorkerPool.Submit<>(item, replies.ref()));
    }

    List<StatusReply<Integer>> answers = replies.receiveSeveralMessages(9, Duration.ofSeconds(10));
    assertThat(answers).filteredOn(StatusReply::isError).hasSize(6);
    assertThat(answers).filteredOn(StatusReply::isSuccess).hasSize(3);
  }

  @Test
  void worker_whenRetriesOfBadItemsFailInARow_doesNotCountThemAndNeverBacksOff() {
    TestProbe<StatusReply<Integer>> replies = testKit.createTestProbe();
    // One worker holding one item at a time: every attempt of every item lands on it in turn.
    ActorRef<WorkerPool.Command<String, Integer>> pool =
        testKit.spawn(
            WorkerPool.create(
                PoolSettings.create(testKit.system(), 1)
                    .withMaxInFlightPerWorker(1)
                    .withMaxAttempts(3)
                    .withBackoff(SLOW),
                picky(),
                null));

    // Six failures in a row, but only the two first attempts count: the retries failed before.
    for (String item : List.of("bad-1", "bad-2", "ok")) {
      pool.tell(new WorkerPool.Submit<>(item, replies.ref()));
    }

    List<StatusReply<Integer>> answers = replies.receiveSeveralMessages(3, Duration.ofSeconds(10));
    assertThat(answers).filteredOn(StatusReply::isError).hasSize(2);
    assertThat(answers)
        .filteredOn(StatusReply::isSuccess)
        .extracting(StatusReply::getValue)
        .containsExactly(2);
  }

  @Test
  void worker_afterASuccess_backsOffFromTheMinimumDelayAgain() {
    Backoff growing =
        new Backoff(Duration.ofMillis(20), Duration.ofSeconds(10), 0.0, -1)
            .withImmediateRestarts(0);
    ActorRef<Work<String, Integer>> worker = testKit.spawn(Workers.supervised(picky(), growing));
    TestProbe<Work.Outcome<Integer>> outcomes = testKit.createTestProbe();

    // Three failures in a row wait 20, 40 and 80 ms; after the success the next waits 20 again.
    LoggingTestKit.warn("restarting it in [20] ms")
        .withOccurrences(2)
        .expect(
            testKit.system(),
            () -> {
              List<String> items = List.of("bad", "bad", "bad", "ok", "bad");
              for (int i = 0; i < items.size(); i++) {
                worker.tell(new Work<>(i, items.get(i), 1, outcomes.ref()));
              }
              return outcomes.receiveSeveralMessages(5, Duration.ofSeconds(10));
            });
  }

  @Test
  void worker_whenItFailsAnItemWithoutThrowing_keepsItsState() {
    Behavior<Work<String, Integer>> counting =
        Behaviors.setup(
            ctx -> {
              int[] handled = {0};
              return Behaviors.receiveMessage(
                  work -> {
                    handled[0]++;
                    if (work.item().equals("bad")) {
                      work.fail(new IllegalArgumentException("bad"));
                    } else {
                      work.reply(handled[0]);
                    }
                    return Behaviors.same();
                  });
            });
    ActorRef<Work<String, Integer>> worker = testKit.spawn(Workers.supervised(counting, SLOW));
    TestProbe<Work.Outcome<Integer>> outcomes = testKit.createTestProbe();

    worker.tell(new Work<>(1, "bad", 1, outcomes.ref()));
    worker.tell(new Work<>(2, "ok", 1, outcomes.ref()));

    assertThat(outcomes.receiveMessage()).isInstanceOf(Work.Failed.class);
    assertThat(outcomes.receiveMessage()).isEqualTo(new Work.Completed<>(2, 2));
  }

  @Test
  void worker_whenItsSetupThrows_isStartedAgainWithBackoffAndHandlesWhatWaited() {
    AtomicInteger setups = new AtomicInteger();
    Behavior<Work<String, Integer>> flakySetup =
        Behaviors.setup(
            ctx -> {
              if (setups.incrementAndGet() <= 2) {
                throw new IllegalStateException("resource not ready");
              }
              return picky();
            });
    Backoff quick = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), 0.0, -1, 4);
    ActorRef<Work<String, Integer>> worker = testKit.spawn(Workers.supervised(flakySetup, quick));
    TestProbe<Work.Outcome<Integer>> outcomes = testKit.createTestProbe();

    worker.tell(new Work<>(1, "abc", 1, outcomes.ref()));
    worker.tell(new Work<>(2, "hello", 1, outcomes.ref()));

    assertThat(outcomes.receiveSeveralMessages(2, Duration.ofSeconds(10)))
        .containsExactlyInAnyOrder(new Work.Completed<>(1, 3), new Work.Completed<>(2, 5));
    assertThat(setups.get()).isEqualTo(3);
  }

  @Test
  void worker_whenItKeepsFailingPastTheRestartLimit_stops() {
    Backoff limited = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), 0.0, 1, 1);
    ActorRef<Work<String, Integer>> worker = testKit.spawn(Workers.supervised(picky(), limited));
    TestProbe<Work.Outcome<Integer>> outcomes = testKit.createTestProbe();

    // Failure 1: restarted at once; 2: restarted with backoff (the one allowed); 3: stopped.
    for (int i = 1; i <= 3; i++) {
      worker.tell(new Work<>(i, "bad-" + i, 1, outcomes.ref()));
    }

    assertThat(outcomes.receiveSeveralMessages(3, Duration.ofSeconds(10)))
        .allSatisfy(o -> assertThat(o).isInstanceOf(Work.Failed.class));
    outcomes.expectTerminated(worker, Duration.ofSeconds(10));
  }
}
