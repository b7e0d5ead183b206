package io.troupe.bench.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.cluster.internal.ParsedPipeline;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.sdk.Confinement;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One benchmarked pipeline: its arguments, and its JDK parallel-streams idiom over the same compute
 * kernel as the sequential reference and the Troupe job.
 *
 * @param name the pipeline's name
 * @param workload one line describing the input
 * @param args the pipeline's arguments
 * @param idiom the JDK idiom's description
 * @param parallelStreams computes the result with the JDK idiom
 */
record PipelineCase(
    String name,
    String workload,
    List<String> args,
    String idiom,
    Callable<JsonNode> parallelStreams) {

  /** Returns the pipeline parsed with this case's arguments. */
  ParsedPipeline parsed() {
    return ParsedPipeline.parse(Pipelines.load().get(name), args, Confinement.local());
  }
}
