/**
 * Pipeline benchmarks: each example pipeline as a Troupe job on an embedded node, against its
 * sequential reference and the JDK's parallel streams over the same kernel, in one run.
 */
package io.troupe.bench.pipelines;
