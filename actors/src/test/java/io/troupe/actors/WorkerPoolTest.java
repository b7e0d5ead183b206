package io.troupe.actors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class WorkerPoolTest {

  @JUnit5TestKit ActorTestKit testKit = TestKits.troupe();

  private static final Backoff FAST =
      new Backoff(Duration.ofMillis(5), Duration.ofMillis(20), 0.0, -1);

  private PoolSettings settings(int workers) {
    return PoolSettings.create(testKit.system(), workers).withBackoff(FAST);
  }

  @Test
  void submit_answersEveryItemWithItsResult() {
    ActorRef<WorkerPool.Command<String, Integer>> pool =
        testKit.spawn(WorkerPool.create(4, Workers.fromFunction(String::length)));
    TestProbe<StatusReply<Integer>> probe = testKit.createTestProbe();

    for (int i = 0; i < 100; i++) {
      pool.tell(new WorkerPool.Submit<>("x".repeat(i), probe.ref()));
    }

    assertThat(probe.receiveSeveralMessages(100))
        .extracting(StatusReply::getValue)
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, 100).boxed().toList());
  }

  @Test
  void submit_whenOneWorkerIsSlow_itGetsLessWork() {
    AtomicInteger nextIndex = new AtomicInteger();
    // Worker 0 takes 25 ms per item, the others 1 ms; each answers with its own index.
    Behavior<Work<Integer, Integer>> worker =
        Behaviors.setup(
            ctx -> {
              int index = nextIndex.getAndIncrement();
              return Behaviors.receiveMessage(
                  work -> {
                    Thread.sleep(index == 0 ? 25 : 1);
                    work.reply(index);
                    return Behaviors.same();
                  });
            });
    ActorRef<WorkerPool.Command<Integer, Integer>> pool =
        testKit.spawn(WorkerPool.create(settings(2), worker, null));
    TestProbe<StatusReply<Integer>> probe = testKit.createTestProbe();

    for (int i = 0; i < 200; i++) {
      pool.tell(new WorkerPool.Submit<>(i, probe.ref()));
    }

    Map<Integer, Integer> perWorker = new HashMap<>();
    for (StatusReply<Integer> reply : probe.receiveSeveralMessages(200, Duration.ofSeconds(20))) {
      perWorker.merge(reply.getValue(), 1, Integer::sum);
    }
    int slow = perWorker.getOrDefault(0, 0);
    int fast = perWorker.getOrDefault(1, 0);
    assertThat(slow + fast).isEqualTo(200);
    assertThat(slow).as("slow worker's share %s vs fast %s", slow, fast).isLessThan(fast / 4);
  }

  @Test
  void submit_whenItemAlwaysFails_retriesThenQuarantinesAndCompletesOthers() {
    Behavior<Work<Integer, Integer>> worker =
        Behaviors.receiveMessage(
            work -> {
              if (work.item() == 13) {
                throw new IllegalArgumentException("cannot handle 13");
              }
              work.reply(work.item() * 2);
              return Behaviors.same();
            });
    TestProbe<Quarantined<Integer>> quarantine = testKit.createTestProbe();
    ActorRef<WorkerPool.Command<Integer, Integer>> pool =
        testKit.spawn(WorkerPool.create(settings(2).withMaxAttempts(3), worker, quarantine.ref()));
    TestProbe<StatusReply<Integer>> probe = testKit.createTestProbe();

    for (int i = 10; i < 20; i++) {
      pool.tell(new WorkerPool.Submit<>(i, probe.ref()));
    }

    List<StatusReply<Integer>> replies = probe.receiveSeveralMessages(10, Duration.ofSeconds(10));
    assertThat(replies).filteredOn(StatusReply::isSuccess).hasSize(9);
    StatusReply<Integer> failed =
        replies.stream().filter(StatusReply::isError).findFirst().orElseThrow();
    assertThat(failed.getError())
        .isInstanceOf(QuarantinedException.class)
        .hasMessage(
            "quarantined after 3 attempt(s): java.lang.IllegalArgumentException: cannot handle 13");
    Quarantined<Integer> record = quarantine.receiveMessage();
    assertThat(record.message()).isEqualTo(13);
    assertThat(record.attempts()).isEqualTo(3);
    TestProbe<WorkerPool.Stats> stats = testKit.createTestProbe();
    pool.tell(new WorkerPool.GetStats<>(stats.ref()));
    WorkerPool.Stats s = stats.receiveMessage();
    assertThat(s.retried()).isEqualTo(2);
    assertThat(s.quarantined()).isEqualTo(1);
    assertThat(s.completed()).isEqualTo(9);
  }

  @Test
  void submit_whenQueueFull_rejectsWithPoolFull() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    Behavior<Work<Integer, Integer>> blocked =
        Behaviors.receiveMessage(
            work -> {
              release.await(10, TimeUnit.SECONDS);
              work.reply(work.item());
              return Behaviors.same();
            });
    ActorRef<WorkerPool.Command<Integer, Integer>> pool =
        testKit.spawn(
            WorkerPool.create(
                settings(1).withMaxInFlightPerWorker(1).withMaxQueued(2), blocked, null),
            "bounded",
            TroupeSettings.create(testKit.system()).blockingDispatcher());
    TestProbe<StatusReply<Integer>> probe = testKit.createTestProbe();

    for (int i = 0; i < 5; i++) {
      pool.tell(new WorkerPool.Submit<>(i, probe.ref()));
    }

    // One item held by the worker and two queued fit; the other two are refused at once.
    List<StatusReply<Integer>> refused = probe.receiveSeveralMessages(2);
    assertThat(refused)
        .allSatisfy(r -> assertThat(r.getError()).isInstanceOf(PoolFullException.class));
    release.countDown();
    assertThat(probe.receiveSeveralMessages(3))
        .extracting(StatusReply::getValue)
        .containsExactly(0, 1, 2);
  }

  @Test
  void worker_whenItStopsForGood_isReplacedAndItsItemsRedone() {
    AtomicInteger started = new AtomicInteger();
    // The first worker incarnation fails on every item until its restart limit stops it; its
    // replacement (and the sibling) succeed.
    Behavior<Work<Integer, Integer>> worker =
        Behaviors.setup(
            ctx -> {
              boolean doomed = started.getAndIncrement() < 2;
              return Behaviors.receiveMessage(
                  work -> {
                    if (doomed && work.item() < 0) {
                      throw new IllegalStateException("doomed");
                    }
                    work.reply(Math.abs(work.item()));
                    return Behaviors.same();
                  });
            });
    ActorRef<WorkerPool.Command<Integer, Integer>> pool =
        testKit.spawn(
            WorkerPool.create(
                settings(1).withBackoff(FAST.withMaxRestarts(1)).withMaxAttempts(5), worker, null));
    TestProbe<StatusReply<Integer>> probe = testKit.createTestProbe();

    pool.tell(new WorkerPool.Submit<>(-7, probe.ref()));

    assertThat(probe.receiveMessage(Duration.ofSeconds(10)).getValue()).isEqualTo(7);
    TestProbe<WorkerPool.Stats> stats = testKit.createTestProbe();
    pool.tell(new WorkerPool.GetStats<>(stats.ref()));
    assertThat(stats.receiveMessage().workers()).isEqualTo(1);
    assertThat(started.get()).isGreaterThanOrEqualTo(3);
  }
}
