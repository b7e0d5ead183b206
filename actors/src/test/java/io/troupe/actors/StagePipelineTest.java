package io.troupe.actors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
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
final class StagePipelineTest {

  @JUnit5TestKit ActorTestKit testKit = TestKits.troupe();

  private static final Backoff FAST =
      new Backoff(Duration.ofMillis(5), Duration.ofMillis(20), 0.0, -1);

  @Test
  void pipeline_passesEveryElementThroughEveryStage() {
    TestProbe<List<Integer>> result = testKit.createTestProbe();
    Behavior<StagePipeline.Command> pipeline =
        StagePipeline.from(IntStream.range(0, 1000).boxed().toList())
            .via("square", 3, Workers.fromFunction((Integer n) -> n * n))
            .via("label", 2, Workers.fromFunction((Integer n) -> "v" + n))
            .via("length", 2, Workers.fromFunction(String::length))
            .to(Sinks.collect(result.ref()));

    ActorRef<StagePipeline.Command> running = testKit.spawn(pipeline);

    List<Integer> lengths = result.receiveMessage(Duration.ofSeconds(10));
    assertThat(lengths)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 1000).mapToObj(n -> ("v" + n * n).length()).toList());
    result.expectTerminated(running, Duration.ofSeconds(3));
  }

  @Test
  void pipeline_whenLastStageIsSlow_holdsTheFastProducerBack() {
    AtomicLong produced = new AtomicLong();
    int total = 100_000;
    Iterator<Integer> counting =
        new Iterator<>() {
          int next;

          @Override
          public boolean hasNext() {
            return next < total;
          }

          @Override
          public Integer next() {
            produced.incrementAndGet();
            return next++;
          }
        };
    int buffer = 16;
    PoolSettings fast = PoolSettings.create(testKit.system(), 2).withBufferSize(buffer);
    PoolSettings slow =
        PoolSettings.create(testKit.system(), 1).withBufferSize(buffer).withBackoff(FAST);
    Behavior<Work<Integer, Integer>> slowWorker =
        Behaviors.receiveMessage(
            work -> {
              Thread.sleep(2);
              work.reply(work.item());
              return Behaviors.same();
            });
    TestProbe<Long> sum = testKit.createTestProbe();
    ActorRef<StagePipeline.Command> running =
        testKit.spawn(
            StagePipeline.fromIterator(() -> counting)
                .via("fast", fast, Workers.fromFunction((Integer n) -> n))
                .via("slow", slow, slowWorker)
                .to(Sinks.<Integer, Long>fold(0L, (acc, n) -> acc + n, sum.ref())));

    TestProbe<List<StageStats>> stats = testKit.createTestProbe();
    for (int sample = 0; sample < 10; sample++) {
      sum.expectNoMessage(Duration.ofMillis(50));
      running.tell(new StagePipeline.GetStats(stats.ref()));
      List<StageStats> now = stats.receiveMessage();
      assertThat(now).extracting(StageStats::name).containsExactly("source", "fast", "slow");
      long consumed = now.get(2).emitted();
      // Everything produced but not yet consumed sits in the two stage buffers or in flight
      // between them and the sink: a fixed bound, however far ahead the producer could run.
      assertThat(produced.get() - consumed).isLessThanOrEqualTo(2L * buffer + Sinks.BATCH);
      assertThat(now.get(1).maxHeld()).isLessThanOrEqualTo(buffer);
      assertThat(now.get(2).maxHeld()).isLessThanOrEqualTo(buffer);
    }
    assertThat(produced.get()).as("the producer was held back").isLessThan(total / 10);
    testKit.stop(running);
  }

  @Test
  void pipeline_whenElementKeepsFailing_quarantinesItAndCompletesTheRest() {
    TestProbe<List<Integer>> result = testKit.createTestProbe();
    Behavior<Work<Integer, Integer>> picky =
        Behaviors.receiveMessage(
            work -> {
              if (work.item() == 5) {
                throw new IllegalStateException("five is poison");
              }
              work.reply(work.item());
              return Behaviors.same();
            });
    PoolSettings settings =
        PoolSettings.create(testKit.system(), 2).withBackoff(FAST).withMaxAttempts(2);

    testKit.spawn(
        StagePipeline.from(IntStream.range(0, 10).boxed().toList())
            .via("picky", settings, picky)
            .to(Sinks.collect(result.ref())));

    assertThat(result.receiveMessage(Duration.ofSeconds(10)))
        .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 6, 7, 8, 9);
  }

  @Test
  void onQuarantine_givesTheListenerEveryElementThatAnyStageGaveUpOn() {
    TestProbe<Quarantined<?>> quarantined = testKit.createTestProbe();
    TestProbe<List<String>> result = testKit.createTestProbe();
    PoolSettings settings =
        PoolSettings.create(testKit.system(), 2).withBackoff(FAST).withMaxAttempts(2);

    testKit.spawn(
        StagePipeline.from(IntStream.range(0, 10).boxed().toList())
            .via("no-fives", settings, rejecting(5))
            .via("label", settings, Workers.fromFunction((Integer n) -> "v" + n))
            .via("no-v7", settings, Workers.fromFunction(StagePipelineTest::noV7))
            .onQuarantine(quarantined.ref())
            .to(Sinks.collect(result.ref())));

    assertThat(result.receiveMessage(Duration.ofSeconds(10)))
        .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v6", "v8", "v9");
    List<Quarantined<?>> records = quarantined.receiveSeveralMessages(2);
    assertThat(records).extracting(q -> (Object) q.message()).containsExactlyInAnyOrder(5, "v7");
    assertThat(records).allSatisfy(q -> assertThat(q.attempts()).isEqualTo(2));
    assertThat(records)
        .extracting(Quarantined::reason)
        .containsExactlyInAnyOrder("5 is poison", "v7 is poison");
  }

  @Test
  void run_completesWithTheSinkResultAndEachStagesFinalCounters() throws Exception {
    PoolSettings settings =
        PoolSettings.create(testKit.system(), 2).withBackoff(FAST).withMaxAttempts(3);

    StagePipeline.Result<List<Integer>> done =
        StagePipeline.from(IntStream.range(0, 100).boxed().toList())
            .via("no-fives", settings, rejecting(5))
            .via("square", 3, Workers.fromFunction((Integer n) -> n * n))
            .<List<Integer>>run(testKit.system(), Sinks::collect)
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    assertThat(done.sinkResult())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 100).filter(n -> n != 5).mapToObj(n -> n * n).toList());
    assertThat(done.stages())
        .extracting(
            StageStats::name,
            StageStats::received,
            StageStats::emitted,
            StageStats::retried,
            StageStats::quarantined,
            StageStats::held)
        .containsExactly(
            tuple("source", 100L, 100L, 0L, 0L, 0),
            tuple("no-fives", 100L, 99L, 2L, 1L, 0),
            tuple("square", 99L, 99L, 0L, 0L, 0));
  }

  @Test
  void to_withReplyTo_answersWithTheResultOnceEverythingHasFinished() {
    TestProbe<StatusReply<StagePipeline.Result<Long>>> replies = testKit.createTestProbe();

    testKit.spawn(
        StagePipeline.from(IntStream.rangeClosed(1, 50).boxed().toList())
            .via("double", 2, Workers.fromFunction((Integer n) -> 2 * n))
            .to(
                (ActorRef<Long> sum) -> Sinks.<Integer, Long>fold(0L, (acc, n) -> acc + n, sum),
                replies.ref()));

    StagePipeline.Result<Long> done = replies.receiveMessage(Duration.ofSeconds(10)).getValue();
    assertThat(done.sinkResult()).isEqualTo(2550L);
    assertThat(done.stages()).extracting(StageStats::name).containsExactly("source", "double");
    assertThat(done.stages()).extracting(StageStats::emitted).containsExactly(50L, 50L);
  }

  @Test
  void run_whenTheSinkFails_completesExceptionally() {
    CompletionStage<StagePipeline.Result<Integer>> done =
        StagePipeline.from(List.of(1, 2, 3))
            .via("id", 1, Workers.fromFunction((Integer n) -> n))
            .run(
                testKit.system(),
                (ActorRef<Integer> replyTo) ->
                    Sinks.<Integer, Integer>fold(
                        0,
                        (acc, n) -> {
                          throw new IllegalStateException("sink broke");
                        },
                        replyTo));

    assertThatThrownBy(() -> done.toCompletableFuture().get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("pipeline participant [sink] failed")
        .hasRootCauseMessage("sink broke");
  }

  /** Throws on {@code poison}; passes everything else on. */
  private static Behavior<Work<Integer, Integer>> rejecting(int poison) {
    return Behaviors.receiveMessage(
        work -> {
          if (work.item() == poison) {
            throw new IllegalStateException(poison + " is poison");
          }
          work.reply(work.item());
          return Behaviors.same();
        });
  }

  private static String noV7(String label) {
    if (label.equals("v7")) {
      throw new IllegalArgumentException("v7 is poison");
    }
    return label;
  }

  @Test
  void pipeline_withNoElements_completesEmpty() {
    TestProbe<List<Integer>> result = testKit.createTestProbe();

    testKit.spawn(
        StagePipeline.from(List.<Integer>of())
            .via("id", 1, Workers.fromFunction((Integer n) -> n))
            .to(Sinks.collect(result.ref())));

    assertThat(result.receiveMessage()).isEmpty();
  }

  @Test
  void via_whenNameInvalidOrReused_throwsClearError() {
    StagePipeline.Builder<Integer> builder =
        StagePipeline.from(List.of(1)).via("a", 1, Workers.fromFunction((Integer n) -> n));

    assertThatThrownBy(() -> builder.via("a", 1, Workers.fromFunction((Integer n) -> n)))
        .hasMessage("stage name [a] is already used");
    assertThatThrownBy(() -> builder.via("no spaces", 1, Workers.fromFunction((Integer n) -> n)))
        .hasMessage("stage name must be 1-64 letters, digits, '-' or '_', was [no spaces]");
  }
}
