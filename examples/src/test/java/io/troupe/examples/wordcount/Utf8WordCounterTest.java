package io.troupe.examples.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class Utf8WordCounterTest {

  /** A channel over bytes that hands out at most {@code maxPiece} bytes per read. */
  private static final class Pieces implements ReadableByteChannel {
    private final byte[] bytes;
    private final Random random;
    private final int maxPiece;
    private int at;
    private int failAt = -1;

    Pieces(byte[] bytes, Random random, int maxPiece) {
      this.bytes = bytes;
      this.random = random;
      this.maxPiece = maxPiece;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (failAt >= 0 && at >= failAt) {
        throw new IOException("disk gone");
      }
      if (at == bytes.length) {
        return -1;
      }
      int n = Math.min(dst.remaining(), Math.min(bytes.length - at, 1 + random.nextInt(maxPiece)));
      dst.put(bytes, at, n);
      at += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  private static Map<String, Long> countInBlocks(byte[] bytes, int blockBytes) throws IOException {
    WordCounts counts = new WordCounts();
    long read =
        new Utf8WordCounter(blockBytes)
            .count(new Pieces(bytes, new Random(0), Integer.MAX_VALUE), Long.MAX_VALUE, counts);
    assertThat(read).isEqualTo(bytes.length);
    return counts.toMap();
  }

  @Test
  void count_textInRandomPiecesAndTinyBlocks_matchesRegexOracle() throws IOException {
    // 16-byte blocks: words, multi-byte characters and non-ASCII regions straddle blocks, and the
    // block grows for words longer than half of it.
    Random random = new Random(81);
    for (int round = 0; round < 400; round++) {
      byte[] valid = Texts.randomUtf8(random, 1 + random.nextInt(round < 300 ? 80 : 2000));
      byte[] bytes = round % 2 == 0 ? valid : Texts.withInvalidBytes(random, valid, 10);
      WordCounts counts = new WordCounts();
      new Utf8WordCounter(16)
          .count(new Pieces(bytes, random, 1 + random.nextInt(40)), Long.MAX_VALUE, counts);

      assertThat(counts.toMap()).as("round %d", round).isEqualTo(Texts.oracle(bytes));
    }
  }

  @Test
  void count_maxBytes_countsOnlyThePrefixAsAWholeText() throws IOException {
    byte[] bytes = "alpha beta gamma".getBytes(StandardCharsets.US_ASCII);
    WordCounts counts = new WordCounts();
    long read = new Utf8WordCounter(16).count(new Pieces(bytes, new Random(1), 3), 8, counts);

    assertThat(read).isEqualTo(8);
    assertThat(counts.toMap()).isEqualTo(Map.of("alpha", 1L, "be", 1L));
  }

  @Test
  void count_wordsAroundBlockBoundaries_areSeenWhole() throws IOException {
    // Put words, multi-byte characters and separators at every offset around the block size.
    int block = Utf8WordCounter.BLOCK_BYTES;
    String[] probes = {
      "\uD835\uDC00\uD835\uDC1A",
      "ab\uD83D\uDE00cd",
      "Ééé",
      "x y",
      "\uD83D\uDE00",
      "ΟΔΟΣ",
      "abcdefghijk"
    };
    for (String probe : probes) {
      for (int pad = block - 12; pad <= block + 2; pad++) {
        char[] filler = new char[pad];
        Arrays.fill(filler, ' ');
        filler[0] = 'q';
        String text = new String(filler) + probe + " tail";
        assertThat(countInBlocks(text.getBytes(StandardCharsets.UTF_8), block))
            .as("%s at %d", probe, pad)
            .isEqualTo(Texts.oracle(text));
      }
    }
  }

  @Test
  void count_wordsLongerThanManyBlocks_areOneWordEach() throws IOException {
    char[] letters = new char[5 * Utf8WordCounter.BLOCK_BYTES + 17];
    Arrays.fill(letters, 'K');
    String ascii = new String(letters);
    letters[letters.length / 2] = 'é';
    String mixed = new String(letters);
    // No ASCII separator at all: one region of several blocks, streamed through the decoder.
    String cjk = "語".repeat(3 * Utf8WordCounter.BLOCK_BYTES) + "、" + "語";

    String text = "a " + ascii + " " + mixed + " " + cjk + " b";
    assertThat(countInBlocks(text.getBytes(StandardCharsets.UTF_8), Utf8WordCounter.BLOCK_BYTES))
        .containsOnly(
            Map.entry("a", 1L),
            Map.entry(ascii.toLowerCase(Locale.ROOT), 1L),
            Map.entry(mixed.toLowerCase(Locale.ROOT), 1L),
            Map.entry("語".repeat(3 * Utf8WordCounter.BLOCK_BYTES), 1L),
            Map.entry("語", 1L),
            Map.entry("b", 1L));
  }

  @Test
  void count_afterAFailedRead_nextTextStartsClean() throws IOException {
    Utf8WordCounter counter = new Utf8WordCounter(16);
    byte[] broken =
        "one two drei vier fünf sechs sieben acht neun zehn".getBytes(StandardCharsets.UTF_8);
    Pieces failing = new Pieces(broken, new Random(2), 5);
    failing.failAt = 27; // inside "fünf ... sechs": a word and a region are left open
    assertThatThrownBy(() -> counter.count(failing, Long.MAX_VALUE, new WordCounts()))
        .isInstanceOf(IOException.class);

    WordCounts counts = new WordCounts();
    byte[] next = "zwölf elf".getBytes(StandardCharsets.UTF_8);
    counter.count(new Pieces(next, new Random(3), 2), Long.MAX_VALUE, counts);

    assertThat(counts.toMap()).isEqualTo(Map.of("zwölf", 1L, "elf", 1L));
  }

  @Test
  void count_oneCounterForManyTexts_keepsThemApart() throws IOException {
    Random random = new Random(82);
    Utf8WordCounter counter = new Utf8WordCounter(16);
    Map<String, Long> expected = new HashMap<>();
    WordCounts counts = new WordCounts();
    // Texts that end inside a word, a multi-byte character and a malformed sequence.
    for (String text : new String[] {"abc", "def ghi", "日本", "語", "x", "é", "\uD835\uDC00"}) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      counter.count(new Pieces(bytes, random, 2), Long.MAX_VALUE, counts);
      Texts.oracle(text).forEach((word, n) -> expected.merge(word, n, Long::sum));
    }
    counter.count(new Pieces(new byte[] {'a', (byte) 0xE2, (byte) 0x82}, random, 1), 3, counts);
    counter.count(new Pieces(new byte[] {(byte) 0xAC, 'b'}, random, 1), 2, counts);
    expected.merge("a", 1L, Long::sum);
    expected.merge("b", 1L, Long::sum);

    assertThat(counts.toMap()).isEqualTo(expected);
  }
}
