package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.cluster.testing.SumPipeline;
import io.troupe.persistence.internal.PersistenceSettings;
import io.troupe.persistence.testing.CountLogic;
import io.troupe.persistence.testing.CountLogic.Count;
import io.troupe.persistence.testing.FailingJournal;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.ItemPlan;
import io.troupe.sdk.JobContext;
import io.troupe.sdk.Pipeline;
import io.troupe.sdk.Task;
import io.troupe.sdk.TroupeMessage;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A keyed-state reducer whose journal write fails restarts in place and recovers what its journal
 * holds: a contribution it had applied before the failure must not be merged twice. Runs on Pekko's
 * persistence test kit, which fails a write on demand.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class KeyedReducerRestartTest {

  /** The sum pipeline, keeping keyed state merged by {@link CountLogic}. */
  private static final class Keyed
      implements Pipeline<SumPipeline.Options, SumPipeline.Value, TroupeMessage> {
    private final SumPipeline sum = new SumPipeline();

    @Override
    public String name() {
      return "keyed";
    }

    @Override
    public String description() {
      return "sum, with keyed state";
    }

    @Override
    public SumPipeline.Options newOptions() {
      return sum.newOptions();
    }

    @Override
    public Behavior<Task<SumPipeline.Value, TroupeMessage>> worker(
        JobContext<SumPipeline.Options> job) {
      return sum.worker(job);
    }

    @Override
    public Combiner<TroupeMessage> combiner(SumPipeline.Options options) {
      return sum.combiner(options);
    }

    @Override
    public ItemPlan<SumPipeline.Value> itemPlan(SumPipeline.Options options) throws Exception {
      return sum.itemPlan(options);
    }

    @Override
    public Optional<Combiner<? extends TroupeMessage>> keyedState() {
      return Optional.of(new CountLogic());
    }
  }

  private ActorTestKit testKit;
  private PersistenceTestKit journal;
  private PersistenceSettings settings;

  @BeforeAll
  void start() {
    FailingJournal kit = FailingJournal.start("reducer-restart-test");
    testKit = kit.testKit();
    journal = kit.journal();
    settings = kit.settings();
  }

  @AfterAll
  void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void failedWrite_restartsInPlace_andMergesEachContributionOnce() {
    ActorRef<KeyedReducer.Command> reducer =
        testKit.spawn(
            KeyedReducer.create(
                KeyedReducer.entityId("keyed", "job-1", 0), Pipelines.of(new Keyed()), settings));
    TestProbe<StatusReply<Done>> added = testKit.createTestProbe();
    reducer.tell(new KeyedReducer.Add("a", new Count(5, 1), added.ref()));
    assertThat(added.receiveMessage().isSuccess()).isTrue();

    journal.failNextPersisted();
    reducer.tell(new KeyedReducer.Add("b", new Count(7, 1), added.ref()));
    added.expectNoMessage(Duration.ofMillis(300));

    TestProbe<StatusReply<KeyedReducer.Merged>> merged = testKit.createTestProbe();
    reducer.tell(new KeyedReducer.Get(merged.ref()));
    KeyedReducer.Merged after = merged.receiveMessage(Duration.ofSeconds(10)).getValue();
    assertThat(after.contributions()).isEqualTo(1);
    assertThat(after.state()).isEqualTo(new Count(5, 1));
  }
}
