package io.troupe.examples.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CorpusGeneratorTest {

  private static final long SIZE = 4L << 20;

  @TempDir Path dir;

  private byte[] generate(long size, long seed) throws IOException {
    Path file = dir.resolve("corpus-" + size + "-" + seed + ".txt");
    CorpusGenerator.generate(file, size, seed);
    return Files.readAllBytes(file);
  }

  private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  @Test
  void generate_sameSeed_writesIdenticalBytes() throws IOException {
    assertThat(generate(SIZE, 7)).isEqualTo(generate(SIZE, 7));
  }

  @Test
  void generate_differentSeed_writesDifferentBytes() throws IOException {
    assertThat(generate(100_000, 7)).isNotEqualTo(generate(100_000, 8));
  }

  @Test
  void generate_anySize_writesExactlyThatManyBytesOfValidUtf8() throws IOException {
    for (long size : new long[] {0, 1, 2, 3, 17, 80, 81, 1000, 65_537, (1 << 20) + 3}) {
      byte[] bytes = generate(size, 3);
      assertThat(bytes).as("size %d", size).hasSize((int) size);
      strictUtf8(bytes);
      if (size > 0) {
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
      }
    }
  }

  @Test
  void generate_existingFileInNewDirectory_isReplaced() throws IOException {
    Path file = dir.resolve("a/b/corpus.txt");
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[5000]);

    CorpusGenerator.generate(file, 100, 1);

    assertThat(Files.size(file)).isEqualTo(100);
  }

  @Test
  void generate_fourMegabytes_looksLikeMixedZipfText() throws IOException {
    byte[] bytes = generate(SIZE, 42);
    String text = strictUtf8(bytes);
    WordCounts counts = new WordCounts();
    WordTokenizer.count(bytes, 0, bytes.length, counts);

    assertThat(counts.total()).isGreaterThan(600_000);
    assertThat(counts.distinct()).isGreaterThan(10_000);
    List<WordCount> top = counts.top(counts.distinct());
    assertThat(top.get(0).count()).isGreaterThan(counts.total() / 20);
    assertThat(top.get(top.size() - 1).count()).isLessThan(5);
    long nonAsciiWords =
        top.stream().filter(w -> w.word().chars().anyMatch(c -> c >= 0x80)).count();
    assertThat(nonAsciiWords).isGreaterThan(counts.distinct() / 25);
    assertThat(top).anyMatch(w -> w.word().chars().allMatch(Character::isDigit));
    assertThat(text.chars().filter(Character::isUpperCase).count()).isGreaterThan(50_000);
    assertThat(text).contains(". ", ", ", "\n");
    assertThat(text.lines().mapToInt(String::length).max().orElseThrow()).isLessThan(120);
    assertThat(text.lines().count()).isGreaterThan(SIZE / 100);
  }

  @Test
  void vocabulary_whenBuilt_hasTwentyThousandLowercaseWordsAboutEightPercentNonAscii() {
    List<String> words = Vocabulary.INSTANCE.words();
    long nonAscii = words.stream().filter(w -> w.chars().anyMatch(c -> c >= 0x80)).count();

    assertThat(words).hasSize(20_000).doesNotHaveDuplicates();
    assertThat(words).allMatch(w -> w.equals(w.toLowerCase(Locale.ROOT)));
    assertThat(nonAscii).isBetween(1_200L, 2_000L);
  }

  @Test
  void vocabulary_mostFrequentWords_areLettersNotNumbers() {
    // A demo corpus whose top words are "77" and "51" would look broken to a newcomer.
    assertThat(Vocabulary.INSTANCE.words().subList(0, 100))
        .allSatisfy(w -> assertThat(w.chars().noneMatch(Character::isDigit)).as(w).isTrue());
  }

  @Test
  void parseSize_validSizes_areParsedInPowersOf1024() {
    assertThat(CorpusGenerator.parseSize("1000")).isEqualTo(1000);
    assertThat(CorpusGenerator.parseSize("512KB")).isEqualTo(512L << 10);
    assertThat(CorpusGenerator.parseSize("64MB")).isEqualTo(64L << 20);
    assertThat(CorpusGenerator.parseSize("256mb")).isEqualTo(256L << 20);
    assertThat(CorpusGenerator.parseSize("1GB")).isEqualTo(1L << 30);
    assertThat(CorpusGenerator.parseSize(" 2 GiB ")).isEqualTo(2L << 30);
    assertThat(CorpusGenerator.parseSize("3tb")).isEqualTo(3L << 40);
    assertThat(CorpusGenerator.parseSize("7B")).isEqualTo(7);
  }

  @Test
  void parseSize_invalidSizes_throwWithClearMessage() {
    for (String bad : new String[] {"", "MB", "-1", "1.5GB", "64 megabytes", "12XB", "0x10"}) {
      assertThatThrownBy(() -> CorpusGenerator.parseSize(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid size '" + bad + "'")
          .hasMessageContaining("64MB");
    }
    assertThatThrownBy(() -> CorpusGenerator.parseSize("99999999999TB"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too large");
  }

  @Test
  void generate_negativeSize_throws() {
    assertThatThrownBy(() -> CorpusGenerator.generate(dir.resolve("x"), -1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
