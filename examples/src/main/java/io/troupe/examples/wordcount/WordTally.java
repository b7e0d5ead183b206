package io.troupe.examples.wordcount;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.troupe.sdk.TroupeMessage;
import java.util.Objects;

/**
 * Word counts as a job moves them: one chunk's counts (a partial result) or the counts of every
 * completed chunk (the job's accumulator).
 *
 * <p>Within a node it is just a {@link WordCounts} table, so combining is a table merge with no
 * boxing and no copying of words. Only when it crosses nodes or goes into the ledger is it turned
 * into its compact binary form ({@link WordCounts#toBytes}), and back.
 */
public final class WordTally implements TroupeMessage {

  private final WordCounts counts;

  /**
   * Wraps a table; the tally takes it over, so do not use the table afterwards.
   *
   * @param counts the counts
   */
  public WordTally(WordCounts counts) {
    this.counts = Objects.requireNonNull(counts, "counts");
  }

  /** Returns the table; it belongs to this tally. */
  public WordCounts counts() {
    return counts;
  }

  /** Returns the compact binary form, for serialization. */
  @JsonValue
  public byte[] compact() {
    return counts.toBytes();
  }

  /**
   * Rebuilds a tally from its compact form.
   *
   * @param compact the serialized form
   * @return the tally
   * @throws IllegalArgumentException if the bytes are not a tally
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static WordTally of(byte[] compact) {
    return new WordTally(WordCounts.fromBytes(compact));
  }

  /** Returns an independent copy. */
  public WordTally copy() {
    WordCounts copy = new WordCounts();
    copy.merge(counts);
    return new WordTally(copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WordTally t && counts.toMap().equals(t.counts.toMap());
  }

  @Override
  public int hashCode() {
    return counts.toMap().hashCode();
  }

  @Override
  public String toString() {
    return "WordTally[" + counts.distinct() + " words, " + counts.total() + " in all]";
  }
}
