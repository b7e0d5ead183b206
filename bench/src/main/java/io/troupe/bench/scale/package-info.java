/**
 * The scale benchmark: how a job's items/s and live heap per item grow with its size, and the live
 * heap of a million idle actors, each case in a JVM of its own.
 */
package io.troupe.bench.scale;
