package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.actors.Work;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every line a job's worker logs carries the job, pipeline, item and stage in its MDC. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class JobHostLogContextTest {

  private final ActorTestKit kit = ActorTestKit.create();

  /** An item's payload. */
  record Payload(int value) implements TroupeMessage {}

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void workerLogLines_carryTheJobAndItem_fromTheContextLoggerAndPlainSlf4j() {
    ActorRef<Work<WorkItem<?>, ItemResult>> worker =
        kit.spawn(
            WorkerMdc.wrap(
                Behaviors.receive(
                    (ctx, work) -> {
                      ctx.getLog().info("context logger on {}", work.item().id());
                      org.slf4j.LoggerFactory.getLogger("user.worker")
                          .info("plain logger on {}", work.item().id());
                      work.reply(ItemResult.of(new Payload(1)));
                      return Behaviors.same();
                    }),
                "job-7",
                "sum"));
    TestProbe<Work.Outcome<ItemResult>> replies = kit.createTestProbe();
    Map<String, String> mdc =
        Map.of(
            WorkerMdc.MDC_JOB,
            "job-7",
            WorkerMdc.MDC_PIPELINE,
            "sum",
            WorkerMdc.MDC_ITEM,
            "n-3",
            WorkerMdc.MDC_STAGE,
            "add");

    LoggingTestKit.info("context logger on n-3")
        .withMdc(mdc)
        .expect(
            kit.system(),
            () -> {
              worker.tell(
                  new Work<>(1, new WorkItem<>("n-3", "add", new Payload(3)), 1, replies.getRef()));
              return null;
            });
    LoggingTestKit.info("plain logger on n-4")
        .withMdc(
            mdc.entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        Map.Entry::getKey,
                        e -> e.getKey().equals(WorkerMdc.MDC_ITEM) ? "n-4" : e.getValue())))
        .expect(
            kit.system(),
            () -> {
              worker.tell(
                  new Work<>(2, new WorkItem<>("n-4", "add", new Payload(4)), 1, replies.getRef()));
              return null;
            });
    assertThat(replies.receiveSeveralMessages(2)).hasSize(2);
  }
}
