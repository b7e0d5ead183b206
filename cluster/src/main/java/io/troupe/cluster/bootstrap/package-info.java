/**
 * Cluster Bootstrap: a node finds its cluster through discovery instead of static seed nodes
 * ({@code troupe.cluster.bootstrap} in the cluster module's {@code reference.conf}).
 *
 * <p>Every node discovers the same contact points (a configured list, or the pods the Kubernetes
 * API lists), asks each for {@code GET /bootstrap/seed-nodes} and joins the members one reports.
 * When none reports any, all answered, there are at least {@code required-contact-points} and the
 * set has been stable for {@code stable-margin}, the contact point with the lowest cluster address
 * forms the cluster and the others join it. {@link io.troupe.cluster.bootstrap.BootstrapSettings}
 * and {@link io.troupe.cluster.bootstrap.ClusterBootstrap} are what a node uses; everything else
 * here is internal.
 */
package io.troupe.cluster.bootstrap;
