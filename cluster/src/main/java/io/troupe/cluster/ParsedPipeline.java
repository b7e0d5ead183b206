package io.troupe.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.actors.Work;
import io.troupe.persistence.JobLogic;
import io.troupe.persistence.WorkItem;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.actor.typed.Behavior;

/**
 * A pipeline together with options it has parsed: everything the runtime needs to plan, work and
 * combine one job, without the caller knowing the options' type.
 */
public final class ParsedPipeline {

  private final Pipeline<?> pipeline;
  private final List<String> args;
  private final Bound<?> bound;

  private record Bound<O>(Pipeline<O> pipeline, O options) {}

  private <O> ParsedPipeline(Pipeline<O> pipeline, List<String> args, O options) {
    this.pipeline = pipeline;
    this.args = List.copyOf(args);
    this.bound = new Bound<>(pipeline, options);
  }

  /**
   * Parses a pipeline's arguments.
   *
   * @param pipeline the pipeline
   * @param args its arguments
   * @param <O> its options type
   * @return the pipeline with parsed options
   * @throws PipelineUsageException if the arguments are wrong
   */
  public static <O> ParsedPipeline parse(Pipeline<O> pipeline, List<String> args) {
    Objects.requireNonNull(pipeline, "pipeline");
    O options;
    try {
      options = pipeline.parse(List.copyOf(args));
    } catch (PipelineUsageException e) {
      throw e;
    } catch (RuntimeException e) {
      // A pipeline's parser that trips over bad input (a number that is not one, a missing
      // value) is still a usage error, not an internal one.
      throw new PipelineUsageException(
          pipeline.name() + ": cannot parse its options " + args + ": " + e, e);
    }
    return new ParsedPipeline(pipeline, args, options);
  }

  /** Returns the pipeline. */
  public Pipeline<?> pipeline() {
    return pipeline;
  }

  /** Returns the arguments the options were parsed from. */
  public List<String> args() {
    return args;
  }

  /** Returns the parsed options, for display. */
  public Object options() {
    return bound.options();
  }

  /** Makes the inputs ready; see {@link Pipeline#prepare}. */
  public void prepare() throws Exception {
    prepare(bound);
  }

  /** Produces the initial items, after {@link #prepare}; see {@link Pipeline#plan}. */
  public List<WorkItem> plan() throws Exception {
    prepare(bound);
    return plan(bound);
  }

  /** Returns the worker behavior for a job; see {@link Pipeline#worker(Object, String)}. */
  public Behavior<Work<WorkItem, ItemResult>> worker(String job) {
    return worker(bound, job);
  }

  /** Returns the job logic; see {@link Pipeline#logic}. */
  public JobLogic logic() {
    return logic(bound);
  }

  /** Runs the sequential reference; see {@link Pipeline#sequential}. */
  public JsonNode sequential() throws Exception {
    return sequential(bound);
  }

  /** Returns the step run before the job is closed, if any; see {@link Pipeline#finisher}. */
  public java.util.Optional<Pipeline.Finisher> finisher() {
    return finisher(bound);
  }

  private static <O> java.util.Optional<Pipeline.Finisher> finisher(Bound<O> b) {
    return b.pipeline().finisher(b.options());
  }

  /** Returns the workers per node for this job; see {@link Pipeline#workersPerNode}. */
  public int workersPerNode(int configured) {
    return Math.max(1, workersPerNode(bound, configured));
  }

  /** Returns an upper bound of the planned items, or -1; see {@link Pipeline#planSize}. */
  public long planSize() {
    return planSize(bound);
  }

  private static <O> long planSize(Bound<O> b) {
    return b.pipeline().planSize(b.options());
  }

  /** Returns the most items a job may have; see {@link Pipeline#maxItems}. */
  public long maxItems() {
    return maxItems(bound);
  }

  private static <O> long maxItems(Bound<O> b) {
    return b.pipeline().maxItems(b.options());
  }

  private static <O> void prepare(Bound<O> b) throws Exception {
    b.pipeline().prepare(b.options());
  }

  private static <O> List<WorkItem> plan(Bound<O> b) throws Exception {
    return b.pipeline().plan(b.options());
  }

  private static <O> Behavior<Work<WorkItem, ItemResult>> worker(Bound<O> b, String job) {
    return b.pipeline().worker(b.options(), job);
  }

  private static <O> JobLogic logic(Bound<O> b) {
    return b.pipeline().logic(b.options());
  }

  private static <O> JsonNode sequential(Bound<O> b) throws Exception {
    return b.pipeline().sequential(b.options());
  }

  private static <O> int workersPerNode(Bound<O> b, int configured) {
    return b.pipeline().workersPerNode(b.options(), configured);
  }
}
