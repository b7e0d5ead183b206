package io.troupe.bench.savina;

/**
 * A plain-JDK implementation of a workload, run beside the actor versions as a reference point.
 *
 * @param idiom the JDK idiom used, as it appears in the results table
 * @param run runs the workload once at its fixed size
 */
public record JdkBaseline(String idiom, Run run) {

  /** Runs a JDK baseline once on the given pools and measures it. */
  @FunctionalInterface
  public interface Run {

    /**
     * Runs the baseline once.
     *
     * @param pools the thread pools kept alive for the whole benchmark run
     * @return the result and the time from the first hand-off to completion
     * @throws Exception if the run is interrupted or fails
     */
    Measurement run(JdkPools pools) throws Exception;
  }
}
