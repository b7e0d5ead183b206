/**
 * The failures benchmark ({@code bench/run failures}): what items that throw cost a Troupe job and
 * a {@link io.troupe.actors.StagePipeline}, against the same work without failures, in one run.
 */
package io.troupe.bench.failures;
