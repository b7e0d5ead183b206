/**
 * The Savina micro set (Imam and Sarkar, 2014) written with Pekko's typed javadsl: one driver actor
 * per workload spawns the workload's actors, times it and checks its result; the same actor code
 * runs on every configuration the harness compares.
 */
package io.troupe.bench.savina;
