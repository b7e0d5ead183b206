package io.troupe.examples.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class WordCountSequentialTest {

  @TempDir Path dir;

  @Test
  void count_largeRandomFiles_matchesRegexOracle() throws IOException {
    // Large enough that words, surrogate pairs and malformed sequences straddle read blocks.
    Random random = new Random(21);
    for (int round = 0; round < 6; round++) {
      byte[] bytes =
          Texts.withInvalidBytes(
              random, Texts.randomUtf8(random, 150_000), 1 + random.nextInt(500));
      Path file = Files.write(dir.resolve("big" + round), bytes);

      assertThat(WordCountSequential.count(List.of(file)).toMap()).isEqualTo(Texts.oracle(bytes));
    }
  }

  @Test
  void count_supplementaryLettersAtEveryOffset_areSeenWhole() throws IOException {
    // A run of 4-byte letters shifted by one byte at a time crosses every block alignment.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int shift = 0; shift < 8; shift++) {
      out.writeBytes(" ".repeat(shift).getBytes(StandardCharsets.US_ASCII));
      out.writeBytes("\uD835\uDC00".repeat(70_000).getBytes(StandardCharsets.UTF_8));
      out.writeBytes(" a\uD83D\uDE00b ".repeat(20_000).getBytes(StandardCharsets.UTF_8));
    }
    byte[] bytes = out.toByteArray();
    Path file = Files.write(dir.resolve("astral"), bytes);

    assertThat(WordCountSequential.count(List.of(file)).toMap()).isEqualTo(Texts.oracle(bytes));
  }

  @Test
  void count_wordAcrossFiles_isTwoWords() throws IOException {
    Path first = Files.writeString(dir.resolve("1"), "foo bar");
    Path second = Files.writeString(dir.resolve("2"), "baz foo");

    WordCounts counts = WordCountSequential.count(List.of(first, second));

    assertThat(counts.toMap()).isEqualTo(Map.of("foo", 2L, "bar", 1L, "baz", 1L));
  }

  @Test
  void count_missingFile_throws() {
    assertThatThrownBy(() -> WordCountSequential.count(List.of(dir.resolve("missing"))))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void result_counts_summarizesTotalsAndTop() {
    Map<String, Long> map = new HashMap<>(Map.of("a", 3L, "b", 3L, "c", 1L));
    WordCountSequential.Result result = WordCountSequential.result(WordCounts.fromMap(map), 2);

    assertThat(result.totalWords()).isEqualTo(7);
    assertThat(result.distinctWords()).isEqualTo(3);
    assertThat(result.top()).containsExactly(new WordCount("a", 3), new WordCount("b", 3));
  }
}
