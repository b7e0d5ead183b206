package io.troupe.bench.failures;

import io.troupe.actors.Work;
import io.troupe.actors.Workers;
import java.util.AbstractList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The stage-pipeline workload: generated text lines, some of them malformed, parsed into words by
 * one stage and scored by the next. A malformed line makes the parsing worker throw, as a parser
 * meeting a corrupt record would.
 *
 * <p>Line {@code i} is {@code "line-i w1 w2 ... w8"} with words drawn from the index, and it is
 * malformed ({@code "corrupt i"}) when {@code i % badEvery == 125 % badEvery}; {@code badEvery ==
 * 0} means none is.
 */
final class Lines {

  private static final String[] WORDS = {
    "actor", "mailbox", "stage", "worker", "demand", "backoff", "restart", "item", "ledger", "node",
    "shard", "journal", "signal", "stash", "timer", "pool"
  };

  private static final int BAD_OFFSET = 125;

  private Lines() {}

  /** Returns the lines, generated on access so that no input file is needed. */
  static List<String> of(int count, int badEvery) {
    return new AbstractList<>() {
      @Override
      public String get(int i) {
        return line(i, badEvery);
      }

      @Override
      public int size() {
        return count;
      }
    };
  }

  /** Returns true if line {@code i} is malformed. */
  static boolean isBad(int i, int badEvery) {
    return badEvery > 0 && i % badEvery == BAD_OFFSET % badEvery;
  }

  static String line(int i, int badEvery) {
    if (isBad(i, badEvery)) {
      return "corrupt " + i;
    }
    StringBuilder line = new StringBuilder("line-").append(i);
    long x = FlakyPipeline.mix(i, 4);
    for (int w = 0; w < 8; w++) {
      line.append(' ').append(WORDS[(int) (x & 15)]);
      x >>>= 4;
    }
    return line.toString();
  }

  /** Splits a line into its words; throws on a malformed line. */
  static List<String> parse(String line) {
    if (!line.startsWith("line-")) {
      throw new IllegalArgumentException("malformed line: " + line);
    }
    String[] fields = line.split(" ");
    return List.of(fields).subList(1, fields.length);
  }

  /** Scores a line's words; {@code rounds} sets the cost. */
  static long score(List<String> words, int rounds) {
    long score = 0;
    for (String word : words) {
      score = score * 31 + word.hashCode();
    }
    return FlakyPipeline.mix((int) score, rounds);
  }

  /** Returns the worker of the parsing stage. */
  static Behavior<Work<String, List<String>>> parser() {
    return Workers.fromFunction(Lines::parse);
  }

  /** Returns the worker of the scoring stage. */
  static Behavior<Work<List<String>, Long>> scorer(int rounds) {
    return Workers.fromFunction((List<String> words) -> score(words, rounds));
  }

  /**
   * The sink's accumulator.
   *
   * @param lines lines that reached the sink
   * @param sum their scores, summed modulo 2^64
   */
  record Tally(long lines, long sum) {
    Tally add(long score) {
      return new Tally(lines + 1, sum + score);
    }
  }

  /** Returns what the sink must receive: every well-formed line's score. */
  static Tally expected(int count, int badEvery, int rounds) {
    Tally tally = new Tally(0, 0);
    for (int i = 0; i < count; i++) {
      if (!isBad(i, badEvery)) {
        tally = tally.add(score(parse(line(i, badEvery)), rounds));
      }
    }
    return tally;
  }
}
