package io.troupe.examples.wordcount;

import java.io.IOException;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * Word count on one thread without chunks: the reference result and the speedup baseline.
 *
 * <p>Each file is streamed whole through a decoding {@link Reader} (malformed UTF-8 replaced by
 * U+FFFD) in blocks; a word or a surrogate pair cut by a block boundary is carried over to the next
 * block. Words are found and counted by the same scanner as {@link WordTokenizer}, so the parallel
 * run and this one share the kernel but not the splitting.
 */
public final class WordCountSequential {

  /** Bytes the reader decodes at a time. */
  private static final int READ_BYTES = 64 * 1024;

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
    WordScanner scanner = new WordScanner(counts, Utf8WordCounter.BLOCK_CHARS);
    for (Path file : files) {
      Objects.requireNonNull(file, "file");
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
          Reader reader = Channels.newReader(channel, Utf8WordCounter.newDecoder(), READ_BYTES)) {
        int read;
        while ((read = reader.read(scanner.buffer(), scanner.limit(), scanner.free())) >= 0) {
          scanner.appended(read);
          scanner.scan(false);
        }
      }
      scanner.scan(true);
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
