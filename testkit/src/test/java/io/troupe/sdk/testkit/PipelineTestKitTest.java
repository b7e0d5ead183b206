package io.troupe.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.sdk.Combiner;
import io.troupe.sdk.JobContext;
import io.troupe.sdk.NoOptions;
import io.troupe.sdk.Pipeline;
import io.troupe.sdk.PipelineUsageException;
import io.troupe.sdk.QuarantinedItem;
import io.troupe.sdk.Task;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import io.troupe.sdk.Workers;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.Behavior;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The test kit runs real jobs: results, quarantined items, results that cannot cross nodes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class PipelineTestKitTest {

  /** A payload: a number. */
  record Number(int value) implements TroupeMessage {}

  /** A partial and the result. */
  record Total(long total) implements TroupeMessage {}

  /** Not a TroupeMessage's worth: a partial Jackson cannot write. */
  record Opaque(long value) implements TroupeMessage {
    @Override
    public long value() {
      throw new UnsupportedOperationException("not writable");
    }
  }

  /** Adds 1..10; item 7 always throws; with no sequential reference. */
  static final class Adder implements Pipeline<NoOptions, Number, Total> {
    @Override
    public String name() {
      return "adder";
    }

    @Override
    public String description() {
      return "adds 1..10 but 7";
    }

    @Override
    public NoOptions newOptions() {
      return NoOptions.INSTANCE;
    }

    @Override
    public List<WorkItem<Number>> plan(NoOptions o) {
      return IntStream.rangeClosed(1, 10)
          .mapToObj(i -> WorkItem.of("n-" + i, "add", new Number(i)))
          .toList();
    }

    @Override
    public Behavior<Task<Number, Total>> worker(JobContext<NoOptions> job) {
      return Workers.of(
          n -> {
            if (n.value() == 7) {
              throw new IllegalArgumentException("seven is bad");
            }
            return new Total(n.value());
          });
    }

    @Override
    public Combiner<Total> combiner(NoOptions o) {
      return Combiner.of(new Total(0), (a, b) -> new Total(a.total() + b.total()));
    }
  }

  /** One item whose partial cannot be serialized. */
  static final class Leaky implements Pipeline<NoOptions, Number, TroupeMessage> {
    @Override
    public String name() {
      return "leaky";
    }

    @Override
    public String description() {
      return "answers with a partial that cannot cross nodes";
    }

    @Override
    public NoOptions newOptions() {
      return NoOptions.INSTANCE;
    }

    @Override
    public List<WorkItem<Number>> plan(NoOptions o) {
      return List.of(WorkItem.of("only", "leak", new Number(1)));
    }

    @Override
    public Behavior<Task<Number, TroupeMessage>> worker(JobContext<NoOptions> job) {
      return Workers.of(n -> new Opaque(n.value()));
    }

    @Override
    public Combiner<TroupeMessage> combiner(NoOptions o) {
      return Combiner.of(new Total(0), (a, b) -> a);
    }

    @Override
    public Optional<?> sequential(NoOptions o) {
      return Optional.of(new Total(0));
    }
  }

  private final PipelineTestKit kit =
      PipelineTestKit.start(
          java.util.Map.of("troupe.jobs.max-attempts", 2), new Adder(), new Leaky());

  @AfterAll
  void stop() {
    kit.close();
  }

  @Test
  void run_withAnItemThatThrows_quarantinesOnlyThatItem() {
    JobResult job = kit.run("adder");

    assertThat(job.status()).isEqualTo("completed_with_failures");
    assertThat(job.result().path("total").asLong()).isEqualTo(55 - 7);
    assertThat(job.quarantined())
        .containsExactly(
            new QuarantinedItem("n-7", "java.lang.IllegalArgumentException: seven is bad"));
    assertThat(job.report().path("itemsRetried").asLong()).isEqualTo(1);
  }

  @Test
  void run_whenAPartialCannotCrossNodes_failsThatItemHereToo() {
    JobResult job = kit.run("leaky");

    assertThat(job.status()).isEqualTo("completed_with_failures");
    assertThat(job.quarantined()).extracting(QuarantinedItem::item).containsExactly("only");
    assertThat(job.quarantined().get(0).reason()).contains("serializ");
  }

  @Test
  void run_withOptionsThePipelineDoesNotTake_isAUsageError() {
    assertThatThrownBy(() -> kit.run("adder", "--n", "3"))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageStartingWith("adder: takes no options");
    assertThatThrownBy(() -> kit.run("nope"))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageContaining("unknown pipeline 'nope'");
  }

  @Test
  void sequential_rendersLikeAJobsResult_orSaysThereIsNone() throws Exception {
    assertThat(kit.sequential("leaky").toString()).isEqualTo("{\"total\":0}");
    assertThatThrownBy(() -> kit.sequential("adder"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("adder has no sequential reference");
  }
}
