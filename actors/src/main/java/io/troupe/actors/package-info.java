/**
 * Troupe's local actor runtime: a bootstrap with defaults tuned to the machine ({@link
 * io.troupe.actors.TroupeSystem}), supervision presets ({@link io.troupe.actors.Supervision}), a
 * work-pulling {@link io.troupe.actors.WorkerPool}, stage pipelines with demand-based backpressure
 * ({@link io.troupe.actors.StagePipeline}) and fork/join ({@link io.troupe.actors.ForkJoin}).
 *
 * <p>Troupe embraces Pekko's typed javadsl rather than hiding it: everything here is a {@code
 * Behavior} you spawn where you like.
 */
package io.troupe.actors;
