package io.troupe.examples.wordcount;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Lists word count's input files and splits them into {@link Chunk}s that never cut a word.
 *
 * <p>A chunk boundary is placed only before an ASCII byte that is not {@code [A-Za-z0-9]}. Such a
 * byte is never part of a multi-byte UTF-8 sequence (those bytes are all {@code >= 0x80}), and it
 * is neither a letter nor a number, so no word and no character spans a boundary: counting the
 * chunks separately and adding the counts gives exactly the counts of the whole file, malformed
 * bytes included (a UTF-8 decoder never folds an ASCII byte into a malformed sequence).
 */
public final class Chunker {

  /** Bytes read at a time when looking for a boundary. */
  private static final int WINDOW_BYTES = 64 * 1024;

  private Chunker() {}

  /**
   * Expands inputs into the files to count: files are taken as given, directories are walked
   * recursively for regular files; symbolic links inside a directory are skipped, not followed, so
   * that a link inside an input root cannot lead out of it. The result holds absolute, normalized
   * paths, sorted by their string form, without duplicates.
   *
   * @param inputs files and directories
   * @return the files to count
   * @throws NoSuchFileException if an input does not exist; its message is the input path
   * @throws IOException if a directory cannot be read
   */
  public static List<Path> listInputs(List<Path> inputs) throws IOException {
    TreeMap<String, Path> files = new TreeMap<>();
    for (Path input : inputs) {
      Path path = input.toAbsolutePath().normalize();
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
              .forEach(file -> files.put(file.toString(), file));
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
      } else if (Files.exists(path)) {
        files.put(path.toString(), path);
      } else {
        throw new NoSuchFileException(input.toString());
      }
    }
    return List.copyOf(files.values());
  }

  /**
   * Splits files into chunks of about {@code chunkSize} bytes, in file order then offset order.
   *
   * <p>Each chunk ends at the first byte position at or after {@code start + chunkSize} that holds
   * an ASCII byte other than {@code [A-Za-z0-9]} (that byte starts the next chunk), or at the end
   * of the file if there is none. Empty files yield no chunks. Only windows around the boundaries
   * are read.
   *
   * @param files the files, usually from {@link #listInputs}
   * @param chunkSize nominal chunk length in bytes; at least 1
   * @return chunks covering every byte of every file exactly once
   * @throws IllegalArgumentException if {@code chunkSize} is less than 1
   * @throws IOException if a file cannot be read
   */
  public static List<Chunk> plan(List<Path> files, long chunkSize) throws IOException {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunk size must be at least 1 byte, was " + chunkSize);
    }
    List<Chunk> chunks = new ArrayList<>();
    ByteBuffer window = ByteBuffer.allocate(WINDOW_BYTES);
    for (Path file : files) {
      String name = file.toAbsolutePath().normalize().toString();
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = channel.size();
        BoundaryFinder finder = new BoundaryFinder(channel, size, window);
        long start = 0;
        while (start < size) {
          long end = size - start <= chunkSize ? size : finder.boundaryAtOrAfter(start + chunkSize);
          chunks.add(new Chunk(name, start, end - start));
          start = end;
        }
      }
    }
    return chunks;
  }

  /**
   * Reads a chunk's bytes and adds its words to {@code into}.
   *
   * @param chunk the chunk, usually from {@link #plan}
   * @param into the table to count words into
   * @throws EOFException if the file is now shorter than the chunk
   * @throws IOException if the file cannot be read
   */
  public static void countChunk(Chunk chunk, WordCounts into) throws IOException {
    countChunk(chunk, into, new Utf8WordCounter());
  }

  /** Reads a chunk's bytes and adds its words to {@code into}, with a counter to reuse. */
  static void countChunk(Chunk chunk, WordCounts into, Utf8WordCounter counter) throws IOException {
    Objects.requireNonNull(into, "into");
    try (FileChannel channel = FileChannel.open(Path.of(chunk.file()), StandardOpenOption.READ)) {
      channel.position(chunk.offset());
      long read = counter.count(channel, chunk.length(), into);
      if (read < chunk.length()) {
        throw new EOFException(
            chunk.file()
                + " ends before byte "
                + (chunk.offset() + chunk.length())
                + " of its chunk; was it changed?");
      }
    }
  }

  /** Finds boundaries in one file through a window that slides forward over it. */
  private static final class BoundaryFinder {
    private static final boolean[] INSIDE_WORD = new boolean[128];

    static {
      for (int c = 0; c < 128; c++) {
        INSIDE_WORD[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      }
    }

    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window;
    private long windowStart;
    private int windowLength;

    BoundaryFinder(FileChannel channel, long size, ByteBuffer window) {
      this.channel = channel;
      this.size = size;
      this.window = window;
    }

    /** Returns the first boundary position at or after {@code from}, or the file size if none. */
    long boundaryAtOrAfter(long from) throws IOException {
      byte[] bytes = window.array();
      long p = from;
      while (p < size) {
        if (p < windowStart || p >= windowStart + windowLength) {
          fill(p);
          if (windowLength == 0) {
            return size; // the file shrank since its size was taken
          }
        }
        int end = windowLength;
        for (int i = (int) (p - windowStart); i < end; i++) {
          byte b = bytes[i];
          if (b >= 0 && !INSIDE_WORD[b]) {
            return windowStart + i;
          }
        }
        p = windowStart + end;
      }
      return size;
    }

    private void fill(long at) throws IOException {
      window.clear();
      window.limit((int) Math.min(window.capacity(), size - at));
      while (window.hasRemaining()) {
        if (channel.read(window, at + window.position()) < 0) {
          break;
        }
      }
      windowStart = at;
      windowLength = window.position();
    }
  }
}
