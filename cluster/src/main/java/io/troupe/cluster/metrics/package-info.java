/**
 * Troupe's metrics: Micrometer meters per job, stage and node, served in Prometheus text format at
 * {@code GET /metrics}.
 */
package io.troupe.cluster.metrics;
