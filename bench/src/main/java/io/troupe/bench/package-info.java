/**
 * Benchmark harnesses: {@link io.troupe.bench.Savina} runs the Savina micro set and reports
 * Troupe's speedup over Pekko's defaults and the JDK, measured side by side in one run.
 */
package io.troupe.bench;
