package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.actors.Work;
import io.troupe.cluster.testing.SumPipeline;
import io.troupe.sdk.Confinement;
import io.troupe.sdk.WorkItem;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A pipeline's worker, run as the runtime runs it: a hand-out in, the item's outcome out. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class TaskWorkerTest {

  private final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void worker_answersTheHandOut_withThePartialAndDiscoveredItems() {
    ParsedPipeline sum =
        ParsedPipeline.parse(new SumPipeline(), List.of("--n", "4", "--fork"), Confinement.local());
    ActorRef<Work<WorkItem<?>, ItemResult>> worker =
        kit.spawn(sum.worker("sum-1", "127.0.0.1:1", kit.system()));
    TestProbe<Work.Outcome<ItemResult>> outcomes = kit.createTestProbe();

    worker.tell(
        new Work<>(7, WorkItem.of("n-1", "add", new SumPipeline.Value(1)), 1, outcomes.ref()));

    Work.Outcome<ItemResult> outcome = outcomes.receiveMessage();
    assertThat(outcome).isInstanceOf(Work.Completed.class);
    ItemResult result = ((Work.Completed<ItemResult>) outcome).result();
    assertThat(result.newItems()).extracting(WorkItem::id).containsExactly("n-5", "n-2");

    worker.tell(
        new Work<>(8, WorkItem.of("n-4", "add", new SumPipeline.Value(4)), 1, outcomes.ref()));

    Work.Outcome<ItemResult> leaf = outcomes.receiveMessage();
    assertThat(leaf).isInstanceOf(Work.Completed.class);
    assertThat(((Work.Completed<ItemResult>) leaf).result().newItems()).isEmpty();
  }
}
