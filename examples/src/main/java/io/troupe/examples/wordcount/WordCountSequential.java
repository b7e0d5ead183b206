package io.troupe.examples.wordcount;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * Word count on one thread without chunks: the reference result and the speedup baseline.
 *
 * <p>Each file is streamed whole, in blocks, through the same kernel as the job's workers (a {@link
 * Utf8WordCounter} and its {@link Utf8Scanner}) into one table: the parallel run and this one share
 * the kernel but not the splitting, and this one has no chunks to merge.
 */
public final class WordCountSequential {

  private WordCountSequential() {}

  /**
   * The outcome of a word count.
   *
   * @param totalWords number of word occurrences
   * @param distinctWords number of distinct words
   * @param top the most frequent words, by count descending then word ascending
   */
  public record Result(long totalWords, long distinctWords, List<WordCount> top) {

    /** Copies the list. */
    public Result {
      top = List.copyOf(top);
    }
  }

  /**
   * Counts the words of the files, in order, on the calling thread.
   *
   * @param files the files, usually from {@link Chunker#listInputs}
   * @return the counts
   * @throws IOException if a file cannot be read
   */
  public static WordCounts count(List<Path> files) throws IOException {
    WordCounts counts = new WordCounts();
    Utf8WordCounter counter = new Utf8WordCounter();
    for (Path file : files) {
      Objects.requireNonNull(file, "file");
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        counter.count(channel, Long.MAX_VALUE, counts);
      }
    }
    return counts;
  }

  /**
   * Summarizes counts as a result.
   *
   * @param counts the counts
   * @param top how many of the most frequent words to keep; not negative
   * @return totals and the top words
   */
  public static Result result(WordCounts counts, int top) {
    return new Result(counts.total(), counts.distinct(), counts.top(top));
  }
}
