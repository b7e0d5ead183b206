/** The cluster benchmark: sharded messages and jobs across three nodes on loopback. */
package io.troupe.bench.cluster;
