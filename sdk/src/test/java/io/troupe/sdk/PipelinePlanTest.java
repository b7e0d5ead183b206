package io.troupe.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/** A pipeline's two ways of planning, and what {@link Pipeline#plan} does for each. */
final class PipelinePlanTest {

  record Value(int v) implements TroupeMessage {}

  /** Options of the test pipelines. */
  static final class Options {
    int n = 3;
  }

  private abstract static class Base implements Pipeline<Options, Value, Value> {
    @Override
    public String description() {
      return "test";
    }

    @Override
    public Options newOptions() {
      return new Options();
    }

    @Override
    public Behavior<Task<Value, Value>> worker(JobContext<Options> job) {
      return Behaviors.empty();
    }

    @Override
    public Combiner<Value> combiner(Options options) {
      return Combiner.of(new Value(0), (a, b) -> new Value(a.v() + b.v()));
    }
  }

  private static final class Indexed extends Base {
    @Override
    public String name() {
      return "indexed";
    }

    @Override
    public ItemPlan<Value> itemPlan(Options options) {
      return ItemPlan.indexed(options.n, i -> WorkItem.of("v-" + i, "add", new Value(i)));
    }
  }

  private static final class Neither extends Base {
    @Override
    public String name() {
      return "neither";
    }
  }

  @Test
  void plan_ofAPipelineThatPlansByIndex_listsThatPlansItems() throws Exception {
    List<WorkItem<Value>> items = new Indexed().plan(new Options());

    assertThat(items).extracting(WorkItem::id).containsExactly("v-0", "v-1", "v-2");
  }

  @Test
  void plan_ofAPipelineThatOverridesNeither_saysSo() {
    assertThatThrownBy(() -> new Neither().plan(new Options()))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("pipeline neither overrides neither plan nor itemPlan");
  }
}
