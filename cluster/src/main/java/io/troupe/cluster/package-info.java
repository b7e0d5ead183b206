/**
 * Troupe's cluster runtime, as an application embeds it: {@link io.troupe.cluster.TroupeNode}
 * starts a node from HOCON with the pipelines it can run, {@link io.troupe.cluster.JobClient}
 * starts and follows jobs, {@link io.troupe.cluster.JobStatus} is what it tells; {@code
 * io.troupe.cluster.http.NodeHttp} serves the node's HTTP API. Pipelines are written against {@code
 * io.troupe.sdk} only; the sharded coordinator, the job hosts and the rest live in {@code
 * io.troupe.cluster.internal}.
 */
package io.troupe.cluster;
