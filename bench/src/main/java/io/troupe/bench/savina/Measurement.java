package io.troupe.bench.savina;

/**
 * The outcome of one run of a workload: the result it computed and how long it took.
 *
 * @param value the workload's result (a count, a sum, a Fibonacci number), checked against the
 *     value the workload must produce
 * @param nanos the wall time from the first send to the last completion signal
 */
public record Measurement(long value, long nanos) {

  /**
   * Returns a measurement of a run that started at {@code startNanos} and ends now.
   *
   * @param startNanos the {@link System#nanoTime()} taken just before the first send
   * @param value the result the run computed
   * @return the measurement
   */
  public static Measurement since(long startNanos, long value) {
    return new Measurement(value, System.nanoTime() - startNanos);
  }
}
