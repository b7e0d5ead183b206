package io.troupe.actors;

/**
 * The counters of one stage of a {@link StagePipeline} at one moment.
 *
 * @param name the stage's name ({@code "source"} for the producer)
 * @param received elements received from upstream (for the source: produced)
 * @param emitted elements sent downstream
 * @param retried failed attempts that were retried
 * @param quarantined elements given up on
 * @param held elements held now: waiting for a worker, being processed, or waiting for demand
 * @param maxHeld the most elements held at any moment; never above the buffer size
 * @param busyNanos time workers spent between hand-out and answer, summed over workers
 */
public record StageStats(
    String name,
    long received,
    long emitted,
    long retried,
    long quarantined,
    int held,
    int maxHeld,
    long busyNanos) {}
