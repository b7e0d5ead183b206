/**
 * A node's HTTP endpoint: pekko-management's health and membership routes, and Troupe's job API.
 */
package io.troupe.cluster.http;
