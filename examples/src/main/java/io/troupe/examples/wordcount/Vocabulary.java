package io.troupe.examples.wordcount;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The fixed vocabulary of {@link CorpusGenerator}: entries in rank order with their UTF-8 forms in
 * three cases, and a Zipf sampler over ranks.
 *
 * <p>Built once from a fixed seed, so it never depends on the seed of a corpus. Shorter entries
 * tend to get the higher ranks, as in natural language. Sampling maps 32 random bits to a rank
 * through a guide table (the first candidate rank for each 2^-16 of probability) and a short linear
 * search over cumulative thresholds in units of 2^-32.
 */
final class Vocabulary {

  /** Number of distinct entries. */
  static final int SIZE = 20_000;

  static final int LOWER = 0;
  static final int CAPITALIZED = 1;
  static final int UPPER = 2;

  private static final long SEED = 0x7A3E_51C0_9D24_B86FL;
  private static final int GUIDE_BITS = 16;

  private static final String[] ONSETS = {
    "", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
    "ch", "sh", "th", "st", "tr", "br", "pl", "gr", "qu"
  };
  private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ai", "ea", "ou", "y"};
  private static final String[] CODAS = {"n", "r", "s", "t", "l", "m", "ck", "nd", "st"};
  private static final String ACCENTABLE = "aeioucn";
  private static final String[] ACCENTED = {"áàâäå", "éèêë", "íîï", "óôöø", "úüû", "ç", "ñ"};
  private static final String CYRILLIC_CONSONANTS = "бвгджзклмнпрстфхцчшщ";
  private static final String CYRILLIC_VOWELS = "аеиоуыэюяё";
  private static final String GREEK_CONSONANTS = "βγδζθκλμνξπρστφχψ";
  private static final String GREEK_VOWELS = "αεηιουωάέήίόύώ";

  /** Entries with letters and numbers outside the common categories: Nl, No, Lt. */
  private static final String[] SPECIAL = {"x²", "m³", "½", "ⅻ", "ǆ", "ⅳ", "h₂o"};

  /** Declared after the tables above, which class initialization must fill first. */
  static final Vocabulary INSTANCE = new Vocabulary();

  private final String[] words;

  /** UTF-8 forms by rank, then by case form. */
  private final byte[][][] forms;

  /** {@code thresholds[r]}: P(rank <= r) in units of 2^-32; the last is 2^32. */
  private final long[] thresholds;

  private final int[] guide;

  private Vocabulary() {
    SplittableRandom random = new SplittableRandom(SEED);
    Set<String> seen = new HashSet<>();
    List<String> entries = new ArrayList<>(SIZE);
    for (String special : SPECIAL) {
      seen.add(special);
      entries.add(special);
    }
    while (entries.size() < SIZE) {
      String entry = entry(random);
      if (seen.add(entry)) {
        entries.add(entry);
      }
    }
    // Rank by length plus jitter, entries with digits or non-ASCII letters a little further down:
    // sort (key, index) pairs.
    long[] order = new long[SIZE];
    for (int i = 0; i < SIZE; i++) {
      String entry = entries.get(i);
      double key = Math.max(2, entry.length()) + 6 * random.nextDouble() + (isPlain(entry) ? 0 : 2);
      order[i] = ((long) (key * (1 << 20)) << 20) | i;
    }
    Arrays.sort(order);
    words = new String[SIZE];
    forms = new byte[SIZE][][];
    for (int rank = 0; rank < SIZE; rank++) {
      words[rank] = entries.get((int) (order[rank] & ((1 << 20) - 1)));
      forms[rank] = forms(words[rank]);
    }
    double[] cumulative = new double[SIZE];
    double sum = 0;
    for (int rank = 0; rank < SIZE; rank++) {
      sum += 1.0 / (rank + 1);
      cumulative[rank] = sum;
    }
    thresholds = new long[SIZE];
    for (int rank = 0; rank < SIZE; rank++) {
      thresholds[rank] = (long) (cumulative[rank] / sum * 0x1p32);
    }
    thresholds[SIZE - 1] = 1L << 32;
    guide = new int[1 << GUIDE_BITS];
    int rank = 0;
    for (int g = 0; g < guide.length; g++) {
      long u = (long) g << (32 - GUIDE_BITS);
      while (thresholds[rank] <= u) {
        rank++;
      }
      guide[g] = rank;
    }
  }

  /** Returns the entries in rank order, lowercase. */
  List<String> words() {
    return List.of(words);
  }

  /** Returns the rank drawn by {@code u}, 32 uniformly random bits in a long. */
  int sample(long u) {
    int rank = guide[(int) (u >>> (32 - GUIDE_BITS))];
    while (thresholds[rank] <= u) {
      rank++;
    }
    return rank;
  }

  /** Returns the UTF-8 bytes of the entry at {@code rank} in case form {@code caseForm}. */
  byte[] form(int rank, int caseForm) {
    return forms[rank][caseForm];
  }

  private static byte[][] forms(String word) {
    if (isAscii(word)) {
      return asciiForms(word);
    }
    if (!word.equals(word.toLowerCase(Locale.ROOT)) || !isOneWord(word)) {
      throw new IllegalStateException("vocabulary entry is not one lowercase word: " + word);
    }
    int first = word.codePointAt(0);
    String capitalized =
        new StringBuilder()
            .appendCodePoint(Character.toTitleCase(first))
            .append(word, Character.charCount(first), word.length())
            .toString();
    byte[] lower = word.getBytes(StandardCharsets.UTF_8);
    return new byte[][] {
      lower,
      caseForm(capitalized, word, lower),
      caseForm(word.toUpperCase(Locale.ROOT), word, lower)
    };
  }

  /** The case forms of an ASCII entry, built bytewise: the bulk of the vocabulary. */
  private static byte[][] asciiForms(String word) {
    byte[] lower = word.getBytes(StandardCharsets.US_ASCII);
    byte[] capitalized = lower.clone();
    byte[] upper = lower.clone();
    for (int i = 0; i < lower.length; i++) {
      byte b = lower[i];
      boolean digit = b >= '0' && b <= '9';
      if (!digit && (b < 'a' || b > 'z')) {
        throw new IllegalStateException("vocabulary entry is not one lowercase word: " + word);
      }
      if (!digit) {
        upper[i] = (byte) (b - ('a' - 'A'));
      }
    }
    capitalized[0] = upper[0];
    return new byte[][] {lower, capitalized, upper};
  }

  /**
   * The form's bytes if it lowercases back to the word (ß uppercases to SS, say), else the word's.
   */
  private static byte[] caseForm(String form, String word, byte[] lower) {
    return form.toLowerCase(Locale.ROOT).equals(word)
        ? form.getBytes(StandardCharsets.UTF_8)
        : lower;
  }

  private static boolean isOneWord(String word) {
    for (int i = 0; i < word.length(); ) {
      int cp = word.codePointAt(i);
      if (!WordScanner.isWordCodePoint(cp)) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return !word.isEmpty();
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** True for entries of ASCII letters only. */
  private static boolean isPlain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 'a' || c > 'z') {
        return false;
      }
    }
    return true;
  }

  /**
   * Draws one candidate entry: 6.4% non-ASCII and 2% numbers, the rest Latin syllables, which
   * repeat more often, so that about 8% of the distinct entries are non-ASCII.
   */
  private static String entry(SplittableRandom random) {
    int roll = random.nextInt(1000);
    if (roll < 20) {
      return accented(random);
    }
    if (roll < 32) {
      return syllables(random, CYRILLIC_CONSONANTS, CYRILLIC_VOWELS, 2 + random.nextInt(3));
    }
    if (roll < 44) {
      String greek = syllables(random, GREEK_CONSONANTS, GREEK_VOWELS, 2 + random.nextInt(2));
      return random.nextInt(10) < 4 ? greek + "ς" : greek;
    }
    if (roll < 64) {
      StringBuilder cjk = new StringBuilder();
      for (int i = 1 + random.nextInt(3); i > 0; i--) {
        cjk.append((char) (0x4E00 + random.nextInt(3000)));
      }
      return cjk.toString();
    }
    if (roll < 84) {
      String digits = Integer.toString(random.nextInt(random.nextBoolean() ? 100 : 10_000));
      return random.nextInt(10) < 7 ? digits : ONSETS[1 + random.nextInt(18)] + digits;
    }
    return latin(random);
  }

  private static String latin(SplittableRandom random) {
    int roll = random.nextInt(100);
    int syllables = roll < 30 ? 1 : roll < 70 ? 2 : roll < 92 ? 3 : 4;
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < syllables; i++) {
      w.append(ONSETS[random.nextInt(ONSETS.length)]).append(VOWELS[random.nextInt(VOWELS.length)]);
      if (random.nextInt(10) < 3) {
        w.append(CODAS[random.nextInt(CODAS.length)]);
      }
    }
    return w.toString();
  }

  private static String accented(SplittableRandom random) {
    StringBuilder w = new StringBuilder(latin(random));
    int from = random.nextInt(w.length());
    for (int k = 0; k < w.length(); k++) {
      int i = (from + k) % w.length();
      char c = w.charAt(i);
      if (c == 's' && i + 1 < w.length() && w.charAt(i + 1) == 's') {
        return w.replace(i, i + 2, "ß").toString();
      }
      int kind = ACCENTABLE.indexOf(c);
      if (kind >= 0) {
        String choices = ACCENTED[kind];
        w.setCharAt(i, choices.charAt(random.nextInt(choices.length())));
        return w.toString();
      }
    }
    return w.append('é').toString();
  }

  private static String syllables(
      SplittableRandom random, String consonants, String vowels, int count) {
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < count; i++) {
      w.append(consonants.charAt(random.nextInt(consonants.length())))
          .append(vowels.charAt(random.nextInt(vowels.length())));
    }
    return w.toString();
  }
}
