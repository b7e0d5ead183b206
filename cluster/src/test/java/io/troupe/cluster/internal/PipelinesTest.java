package io.troupe.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.cluster.testing.SumPipeline;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.JobContext;
import io.troupe.sdk.Pipeline;
import io.troupe.sdk.PipelineUsageException;
import io.troupe.sdk.Task;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plug-ins as ServiceLoader finds them: a broken one is left out and named; a clash is an error.
 */
final class PipelinesTest {

  @TempDir Path dir;

  /** A second pipeline that calls itself {@code sum}. */
  public static final class AnotherSum extends Wrapped {
    /** Creates it. */
    public AnotherSum() {
      super("sum");
    }
  }

  /** A pipeline whose name users could not type. */
  public static final class BadlyNamed extends Wrapped {
    /** Creates it. */
    public BadlyNamed() {
      super("Bad Name");
    }
  }

  /** The sum pipeline under another name. */
  abstract static class Wrapped
      implements Pipeline<SumPipeline.Options, SumPipeline.Value, TroupeMessage> {
    private final SumPipeline sum = new SumPipeline();
    private final String name;

    Wrapped(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String description() {
      return "the sum pipeline as " + name;
    }

    @Override
    public SumPipeline.Options newOptions() {
      return sum.newOptions();
    }

    @Override
    public List<WorkItem<SumPipeline.Value>> plan(SumPipeline.Options options) {
      return sum.plan(options);
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
  }

  private ClassLoader plugins(String... providers) throws Exception {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(
        services.resolve("io.troupe.sdk.Pipeline"), String.join("\n", providers) + "\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  @Test
  void load_leavesOutWhatCannotBeLoaded_andNamesIt() throws Exception {
    Pipelines pipelines =
        Pipelines.load(
            plugins(
                SumPipeline.class.getName(),
                "com.example.NoSuchPipeline",
                String.class.getName(),
                BadlyNamed.class.getName()));

    // A class that is not a pipeline cannot stop the others either (the JDK's ServiceLoader may
    // report it or skip it, so only its missing neighbour and the bad name are asserted on).
    assertThat(pipelines.names()).containsExactly("sum");
    assertThat(pipelines.problems())
        .anySatisfy(p -> assertThat(p).contains("com.example.NoSuchPipeline"))
        .anySatisfy(p -> assertThat(p).contains(BadlyNamed.class.getName()).contains("Bad Name"));
  }

  @Test
  void load_withTwoPipelinesOfOneName_refusesNamingBoth() throws Exception {
    ClassLoader loader = plugins(SumPipeline.class.getName(), AnotherSum.class.getName());

    assertThatThrownBy(() -> Pipelines.load(loader))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageContaining("two pipelines are named sum")
        .hasMessageContaining(SumPipeline.class.getName())
        .hasMessageContaining(AnotherSum.class.getName());
  }

  @Test
  void get_ofAnUnknownPipeline_namesTheKnownOnes() {
    assertThatThrownBy(() -> Pipelines.of(new SumPipeline()).get("nope"))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessage("unknown pipeline 'nope'; known pipelines: sum");
  }
}
