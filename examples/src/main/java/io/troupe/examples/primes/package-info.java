/**
 * The primes pipeline's kernel, a segmented sieve of Eratosthenes ({@link
 * io.troupe.examples.primes.SegmentedSieve}), and its single-threaded reference ({@link
 * io.troupe.examples.primes.PrimesSequential}): the count of primes up to a limit and the largest.
 */
package io.troupe.examples.primes;
