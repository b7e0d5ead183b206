/** The durable job registry: every job of a cluster, in the cluster's database. */
package io.troupe.persistence.registry;
