package io.troupe.examples.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ChunkerTest {

  @TempDir Path dir;

  private static boolean isBoundaryByte(byte b) {
    return b >= 0 && !((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9'));
  }

  private static WordCounts countChunks(List<Chunk> chunks) throws IOException {
    WordCounts total = new WordCounts();
    for (Chunk chunk : chunks) {
      WordCounts part = new WordCounts();
      Chunker.countChunk(chunk, part);
      total.merge(part);
    }
    return total;
  }

  /** Checks that chunks tile the file and that each boundary is the first allowed one. */
  private static void assertValidPlan(byte[] bytes, List<Chunk> chunks, long chunkSize) {
    long start = 0;
    for (Chunk chunk : chunks) {
      assertThat(chunk.offset()).isEqualTo(start);
      assertThat(chunk.length()).isPositive();
      long end = chunk.offset() + chunk.length();
      long nominal = start + chunkSize;
      if (end < bytes.length) {
        assertThat(end).isGreaterThanOrEqualTo(nominal);
        assertThat(isBoundaryByte(bytes[(int) end])).isTrue();
      }
      for (long p = nominal; p < end; p++) {
        assertThat(isBoundaryByte(bytes[(int) p])).as("byte %d before the boundary", p).isFalse();
      }
      start = end;
    }
    assertThat(start).isEqualTo(bytes.length);
  }

  @Test
  void plan_randomFilesAndChunkSizes_chunkCountsSumToSequentialCounts() throws IOException {
    Random random = new Random(11);
    for (int round = 0; round < 60; round++) {
      byte[] bytes = Texts.randomUtf8(random, random.nextInt(round < 40 ? 400 : 20_000));
      if (random.nextBoolean()) {
        bytes = Texts.withInvalidBytes(random, bytes, random.nextInt(30));
      }
      Path file = Files.write(dir.resolve("f" + round + ".txt"), bytes);
      WordCounts expected = WordCountSequential.count(List.of(file));
      assertThat(expected.toMap()).isEqualTo(Texts.oracle(bytes));

      long[] sizes = {1, 2, 3, 5, 16, 1 + random.nextInt(bytes.length + 10), bytes.length + 1};
      for (long chunkSize : sizes) {
        List<Chunk> chunks = Chunker.plan(List.of(file), chunkSize);
        assertValidPlan(bytes, chunks, chunkSize);
        assertThat(countChunks(chunks).toMap())
            .as("round %d, chunk size %d", round, chunkSize)
            .isEqualTo(expected.toMap());
      }
    }
  }

  @Test
  void plan_boundaryFarBeyondReadWindow_isFound() throws IOException {
    // 200 KB of letters after the nominal boundary: the search must slide its 64 KiB window.
    byte[] letters = new byte[200_000];
    Arrays.fill(letters, (byte) 'w');
    byte[] bytes =
        ("ab cd " + new String(letters, StandardCharsets.US_ASCII) + " ef gh")
            .getBytes(StandardCharsets.US_ASCII);
    Path file = Files.write(dir.resolve("long.txt"), bytes);

    List<Chunk> chunks = Chunker.plan(List.of(file), 4);

    assertValidPlan(bytes, chunks, 4);
    assertThat(chunks.get(1).offset()).isEqualTo(5);
    assertThat(chunks.get(1).length()).isEqualTo(200_001);
    assertThat(countChunks(chunks).toMap())
        .isEqualTo(WordCountSequential.count(List.of(file)).toMap());
  }

  @Test
  void plan_fileWithoutDelimiters_isOneChunk() throws IOException {
    byte[] bytes = new byte[100_000];
    Arrays.fill(bytes, (byte) 'x');
    Path file = Files.write(dir.resolve("word.txt"), bytes);

    List<Chunk> chunks = Chunker.plan(List.of(file), 10);

    assertThat(chunks).containsExactly(new Chunk(file.toString(), 0, 100_000));
    WordCounts counts = countChunks(chunks);
    assertThat(counts.total()).isEqualTo(1);
    assertThat(counts.count(new String(bytes, StandardCharsets.US_ASCII))).isEqualTo(1);
  }

  @Test
  void plan_nonAsciiTextWithoutAsciiDelimiters_isOneChunk() throws IOException {
    Path file = Files.writeString(dir.resolve("cjk.txt"), "日本語。日本語、日本語。".repeat(100));

    List<Chunk> chunks = Chunker.plan(List.of(file), 1);

    assertThat(chunks).hasSize(1);
    assertThat(countChunks(chunks).count("日本語")).isEqualTo(300);
  }

  @Test
  void plan_emptyFile_hasNoChunks() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.txt"));
    Path other = Files.writeString(dir.resolve("other.txt"), "one two");

    List<Chunk> chunks = Chunker.plan(List.of(empty, other), 2);

    assertThat(chunks)
        .containsExactly(new Chunk(other.toString(), 0, 3), new Chunk(other.toString(), 3, 4));
  }

  @Test
  void plan_relativePath_givesAbsoluteNormalizedFile() throws IOException {
    Path file = Files.writeString(dir.resolve("a.txt"), "x");
    Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("sub/../a.txt"));

    assertThat(Chunker.plan(List.of(relative), 10))
        .containsExactly(new Chunk(file.toAbsolutePath().normalize().toString(), 0, 1));
  }

  @Test
  void plan_chunkSizeBelowOne_throws() {
    assertThatThrownBy(() -> Chunker.plan(List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunk size");
  }

  @Test
  void countChunk_fileShorterThanChunk_throwsEof() throws IOException {
    Path file = Files.writeString(dir.resolve("short.txt"), "abc def");
    Chunk chunk = new Chunk(file.toString(), 4, 10);

    assertThatThrownBy(() -> Chunker.countChunk(chunk, new WordCounts()))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void countChunk_chunkInsideFile_countsOnlyItsBytes() throws IOException {
    Path file = Files.writeString(dir.resolve("mid.txt"), "alpha beta gamma");

    WordCounts counts = new WordCounts();
    Chunker.countChunk(new Chunk(file.toString(), 5, 5), counts);

    assertThat(counts.toMap()).containsOnlyKeys("beta");
  }

  @Test
  void listInputs_filesAndDirectories_walksRecursivelySortedWithoutDuplicates() throws IOException {
    Path b = Files.writeString(Files.createDirectories(dir.resolve("d/b")).resolve("z.txt"), "z");
    Path a = Files.writeString(Files.createDirectories(dir.resolve("d/a")).resolve("y.dat"), "y");
    Path top = Files.writeString(dir.resolve("d/x"), "x");
    Files.createDirectories(dir.resolve("d/empty"));
    Path single = Files.writeString(dir.resolve("c.txt"), "c");

    List<Path> inputs =
        Chunker.listInputs(List.of(dir.resolve("d"), single, a, dir.resolve("d/./x")));

    assertThat(inputs).containsExactly(single, a, b, top);
    assertThat(inputs).allMatch(Path::isAbsolute);
  }

  @Test
  void listInputs_linksInsideADirectory_areSkippedNotFollowed() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Path secret = Files.writeString(outside.resolve("secret.txt"), "secret");
    Path root = Files.createDirectories(dir.resolve("root"));
    Path own = Files.writeString(root.resolve("own.txt"), "own");
    Files.createSymbolicLink(root.resolve("file-link.txt"), secret);
    Files.createSymbolicLink(root.resolve("dir-link"), outside);
    Files.createSymbolicLink(root.resolve("inner-link.txt"), own);

    assertThat(Chunker.listInputs(List.of(root))).containsExactly(own);
  }

  @Test
  void listInputs_missingPath_throwsNoSuchFileWithThePath() {
    Path missing = dir.resolve("nope.txt");

    assertThatThrownBy(() -> Chunker.listInputs(List.of(dir, missing)))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessage(missing.toString());
  }
}
