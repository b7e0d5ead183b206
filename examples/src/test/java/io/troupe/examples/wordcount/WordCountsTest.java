package io.troupe.examples.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class WordCountsTest {

  /** Words that share a String hash in pairs, short and long, Latin-1 and not. */
  private static final List<String> COLLIDING =
      List.of("Aa", "BB", "AaAaAaAa", "BBBBBBBB", "AaBBAaBB", "\u0100a", "\u00FF\u0082");

  private static String randomWord(Random random) {
    int len = 1 + random.nextInt(random.nextBoolean() ? 7 : 20);
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < len; i++) {
      int kind = random.nextInt(10);
      w.append(
          kind < 6
              ? (char) ('a' + random.nextInt(6))
              : kind < 8 ? (char) (0xE0 + random.nextInt(8)) : (char) (0x3B1 + random.nextInt(4)));
    }
    return w.toString();
  }

  @Test
  void add_someWords_countsThem() {
    WordCounts counts = new WordCounts();
    counts.add("a");
    counts.add("b", 3);
    counts.add("a");
    counts.add("c", 0);

    assertThat(counts.count("a")).isEqualTo(2);
    assertThat(counts.count("b")).isEqualTo(3);
    assertThat(counts.count("c")).isZero();
    assertThat(counts.count("")).isZero();
    assertThat(counts.total()).isEqualTo(5);
    assertThat(counts.distinct()).isEqualTo(2);
  }

  @Test
  void add_wordsWithEqualHashes_keepsThemApart() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    assertThat("AaAaAaAa".hashCode()).isEqualTo("BBBBBBBB".hashCode());
    WordCounts counts = new WordCounts();
    for (int i = 0; i < COLLIDING.size(); i++) {
      counts.add(COLLIDING.get(i), i + 1);
    }
    for (int i = 0; i < COLLIDING.size(); i++) {
      assertThat(counts.count(COLLIDING.get(i))).as(COLLIDING.get(i)).isEqualTo(i + 1);
    }
    assertThat(counts.count("AaAaBBBB")).isZero();
    assertThat(counts.distinct()).isEqualTo(COLLIDING.size());
  }

  @Test
  void add_manyRandomWords_agreesWithHashMap() {
    Random random = new Random(5);
    WordCounts counts = new WordCounts();
    Map<String, Long> expected = new HashMap<>();
    for (int i = 0; i < 200_000; i++) {
      String word = randomWord(random);
      counts.add(word);
      expected.merge(word, 1L, Long::sum);
    }
    assertThat(counts.toMap()).isEqualTo(expected);
    assertThat(counts.distinct()).isEqualTo(expected.size());
    assertThat(counts.total()).isEqualTo(200_000);
    for (String word : expected.keySet()) {
      assertThat(counts.count(word)).isEqualTo(expected.get(word));
    }
  }

  @Test
  void add_sameWordThroughEveryRoute_isOneEntry() {
    // The tokenizer packs short ASCII words without their chars; strings, chars and merges must
    // still find the same entry for every kind of key.
    List<String> words =
        List.of("a", "x1", "abcdefg", "abcdefgh", "abcdefghi", "é", "ééééééé", "éééééééé", "日本");
    WordCounts counts = new WordCounts();
    byte[] text = String.join(" ", words).getBytes(StandardCharsets.UTF_8);
    WordTokenizer.count(text, 0, text.length, counts);
    Map<String, Long> once = new HashMap<>();
    for (String word : words) {
      counts.add(word);
      once.put(word, 1L);
    }
    counts.merge(WordCounts.fromMap(once));
    WordCounts other = new WordCounts();
    other.merge(counts);

    assertThat(counts.distinct()).isEqualTo(words.size());
    assertThat(other.distinct()).isEqualTo(words.size());
    for (String word : words) {
      assertThat(counts.count(word)).as(word).isEqualTo(3);
      assertThat(other.count(word)).as(word).isEqualTo(3);
    }
  }

  @Test
  void add_invalidArguments_throws() {
    WordCounts counts = new WordCounts();
    assertThatThrownBy(() -> counts.add("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> counts.add("a", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> counts.add(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void merge_twoTables_addsCountsAndLeavesOtherUnchanged() {
    Random random = new Random(6);
    WordCounts a = new WordCounts();
    WordCounts b = new WordCounts();
    Map<String, Long> expected = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      String word = randomWord(random);
      (random.nextBoolean() ? a : b).add(word);
      expected.merge(word, 1L, Long::sum);
    }
    Map<String, Long> bBefore = b.toMap();

    a.merge(b);
    b.add("zzz-only-in-b");

    assertThat(a.toMap()).isEqualTo(expected);
    assertThat(a.total()).isEqualTo(20_000);
    assertThat(a.count("zzz-only-in-b")).isZero();
    bBefore.put("zzz-only-in-b", 1L);
    assertThat(b.toMap()).isEqualTo(bBefore);
  }

  @Test
  void merge_withItself_doublesEveryCount() {
    WordCounts counts = WordCounts.fromMap(Map.of("a", 2L, "bbbbbbbbbb", 3L));
    counts.merge(counts);
    assertThat(counts.toMap()).isEqualTo(Map.of("a", 4L, "bbbbbbbbbb", 6L));
    assertThat(counts.total()).isEqualTo(10);
  }

  @Test
  void top_ties_orderByCountDescendingThenWordAscending() {
    WordCounts counts =
        WordCounts.fromMap(
            Map.of("b", 5L, "a", 5L, "c", 7L, "aa", 5L, "Z", 5L, "é", 1L, "d", 1L, "日", 7L));

    assertThat(counts.top(5))
        .containsExactly(
            new WordCount("c", 7),
            new WordCount("日", 7),
            new WordCount("Z", 5),
            new WordCount("a", 5),
            new WordCount("aa", 5));
    assertThat(counts.top(100)).hasSize(8).endsWith(new WordCount("d", 1), new WordCount("é", 1));
    assertThat(counts.top(0)).isEmpty();
    assertThat(new WordCounts().top(3)).isEmpty();
    assertThatThrownBy(() -> counts.top(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void top_randomTables_matchSortingAllWords() {
    Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      WordCounts counts = new WordCounts();
      int words = random.nextInt(3000);
      for (int i = 0; i < words; i++) {
        counts.add(randomWord(random), 1 + random.nextInt(5));
      }
      List<WordCount> all = new ArrayList<>();
      counts.forEach((word, count) -> all.add(new WordCount(word, count)));
      all.sort(
          Comparator.comparingLong(WordCount::count).reversed().thenComparing(WordCount::word));
      int n = random.nextInt(words + 10);

      assertThat(counts.top(n)).isEqualTo(all.subList(0, Math.min(n, all.size())));
    }
  }

  @Test
  void fromMap_toMap_roundTrips() {
    Map<String, Long> map = Map.of("x", 1L, "longer-than-seven", 10L, "日本語", 3L, "ß", 4L);
    WordCounts counts = WordCounts.fromMap(map);

    assertThat(counts.toMap()).isEqualTo(map);
    assertThat(counts.total()).isEqualTo(18);
    assertThat(counts.distinct()).isEqualTo(4);
  }

  @Test
  void forEach_filledTable_visitsEveryWordOnce() {
    Map<String, Long> map = Map.of("x", 1L, "yy", 2L, "zzzzzzzzzzz", 3L);
    Map<String, Long> seen = new HashMap<>();
    WordCounts.fromMap(map).forEach((word, count) -> assertThat(seen.put(word, count)).isNull());
    assertThat(seen).isEqualTo(map);
  }

  @Test
  void toBytes_anyTable_roundTripsExactly() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    String[] alphabet = {"a", "z", "é", "ß", "東", "京", "😀", "\uD800", "9", "Σ", "ÿ"};
    for (int round = 0; round < 50; round++) {
      WordCounts table = new WordCounts();
      int words = random.nextInt(0, 300);
      for (int w = 0; w < words; w++) {
        StringBuilder word = new StringBuilder();
        int len = 1 + random.nextInt(random.nextBoolean() ? 8 : 40);
        for (int c = 0; c < len; c++) {
          word.append(alphabet[random.nextInt(alphabet.length)]);
        }
        table.add(word.toString(), 1 + random.nextLong(1L << 40));
      }

      WordCounts back = WordCounts.fromBytes(table.toBytes());

      assertThat(back.toMap()).isEqualTo(table.toMap());
      assertThat(back.total()).isEqualTo(table.total());
      for (String word : table.toMap().keySet()) {
        assertThat(back.count(word)).isEqualTo(table.count(word));
      }
    }
  }

  @Test
  void fromBytes_corruptInput_throwsClearError() {
    WordCounts table = new WordCounts();
    table.add("troupe", 2);
    byte[] bytes = table.toBytes();

    assertThatThrownBy(() -> WordCounts.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("corrupt word table");
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> WordCounts.fromBytes(longer))
        .hasMessage("corrupt word table: trailing bytes");
  }
}
