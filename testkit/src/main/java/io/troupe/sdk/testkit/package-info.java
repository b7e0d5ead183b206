/**
 * Troupe's test kit: {@link io.troupe.sdk.testkit.PipelineTestKit} runs a pipeline's jobs on an
 * embedded single-node cluster in a unit test. Depend on {@code io.troupe:troupe-testkit} with test
 * scope.
 */
package io.troupe.sdk.testkit;
