/**
 * The montecarlo pipeline's kernel ({@link io.troupe.examples.montecarlo.MonteCarlo}), which prices
 * a European call under geometric Brownian motion in independently seeded batches, an order-free
 * combiner of batches ({@link io.troupe.examples.montecarlo.Estimate}) and the single-threaded
 * reference ({@link io.troupe.examples.montecarlo.MonteCarloSequential}). Results are bit-identical
 * however the batches are distributed.
 */
package io.troupe.examples.montecarlo;
