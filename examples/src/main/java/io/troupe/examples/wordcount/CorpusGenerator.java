package io.troupe.examples.wordcount;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes deterministic synthetic text for word count: the same size and seed always give the same
 * bytes.
 *
 * <p>Words come from a fixed vocabulary of {@value Vocabulary#SIZE} entries built from syllables,
 * about 8% of them holding non-ASCII letters (accented Latin, Cyrillic, Greek, CJK) and some of
 * them numbers, drawn with Zipf frequencies (the most common word is about a tenth of the text).
 * Words appear in lower, capitalized and upper case, separated by spaces, punctuation and newlines
 * that keep lines to about 80 bytes. The text is valid UTF-8 and ends with ASCII padding (spaces
 * and a newline) to the exact size.
 */
public final class CorpusGenerator {

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(B|KB|KIB|MB|MIB|GB|GIB|TB|TIB)?", Pattern.CASE_INSENSITIVE);

  private static final int LINE_BYTES = 80;
  private static final int BUFFER_BYTES = 1 << 20;

  /** Case form by 10 random bits: 3% upper, 7% capitalized, the rest lower. */
  private static final byte[] CASE_FORMS = new byte[1024];

  /** What follows a word, by 10 random bits; index into the tables below. */
  private static final byte[] PUNCTUATION = new byte[1024];

  private static final byte[][] PUNCTUATION_BYTES = {
    {},
    ascii("."),
    ascii(","),
    ascii(";"),
    ascii(":"),
    ascii("!"),
    ascii("?"),
    ascii("'s"),
    ascii("-"),
    ascii("\"")
  };
  private static final int[] PUNCTUATION_PER_1024 = {0, 61, 41, 5, 5, 5, 5, 10, 10, 10};
  private static final boolean[] ENDS_SENTENCE = {
    false, true, false, false, false, true, true, false, false, false
  };

  /** The hyphen joins the next word without a space. */
  private static final int HYPHEN = 8;

  static {
    for (int i = 0; i < CASE_FORMS.length; i++) {
      CASE_FORMS[i] =
          (byte) (i < 31 ? Vocabulary.UPPER : i < 103 ? Vocabulary.CAPITALIZED : Vocabulary.LOWER);
    }
    int at = 0;
    for (int kind = 1; kind < PUNCTUATION_PER_1024.length; kind++) {
      for (int k = 0; k < PUNCTUATION_PER_1024[kind]; k++) {
        PUNCTUATION[at++] = (byte) kind;
      }
    }
  }

  private CorpusGenerator() {}

  /**
   * Writes {@code sizeBytes} bytes of text to {@code out}, replacing it, creating its parent
   * directories if needed.
   *
   * @param out the file to write
   * @param sizeBytes exact size of the file; not negative
   * @param seed the random seed; the output is a function of size and seed
   * @throws IllegalArgumentException if {@code sizeBytes} is negative
   * @throws IOException if the file cannot be written
   */
  public static void generate(Path out, long sizeBytes, long seed) throws IOException {
    Objects.requireNonNull(out, "out");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("size must not be negative, was " + sizeBytes);
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Vocabulary vocabulary = Vocabulary.INSTANCE;
    SplittableRandom random = new SplittableRandom(seed);
    byte[] buf = new byte[BUFFER_BYTES];
    int n = 0;
    long left = sizeBytes; // bytes neither in buf nor written
    int line = 0;
    boolean sentenceStart = true;
    boolean joinNext = false;
    try (OutputStream os = Files.newOutputStream(out)) {
      while (true) {
        // One draw per word: 32 bits pick the word, 10 its case, 10 what follows it.
        long bits = random.nextLong();
        int caseForm = sentenceStart ? Vocabulary.CAPITALIZED : CASE_FORMS[(int) bits & 1023];
        byte[] word = vocabulary.form(vocabulary.sample(bits >>> 32), caseForm);
        int kind = PUNCTUATION[(int) (bits >>> 10) & 1023];
        byte[] punctuation = PUNCTUATION_BYTES[kind];
        int text = word.length + punctuation.length;
        byte separator;
        if (line == 0 || joinNext) {
          separator = 0;
        } else if (line + 1 + text > LINE_BYTES) {
          separator = '\n';
        } else {
          separator = ' ';
        }
        int piece = (separator == 0 ? 0 : 1) + text;
        if (piece > left - 1) {
          break; // keep a byte for the final newline
        }
        if (n + piece > buf.length) {
          os.write(buf, 0, n);
          n = 0;
        }
        if (separator == '\n') {
          buf[n++] = separator;
          line = 0;
        } else if (separator == ' ') {
          buf[n++] = separator;
          line++;
        }
        System.arraycopy(word, 0, buf, n, word.length);
        n += word.length;
        System.arraycopy(punctuation, 0, buf, n, punctuation.length);
        n += punctuation.length;
        line += text;
        left -= piece;
        sentenceStart = ENDS_SENTENCE[kind];
        joinNext = kind == HYPHEN;
      }
      // Pad with spaces and a final newline: ASCII keeps the text valid UTF-8 at any size.
      while (left > 0) {
        if (n == buf.length) {
          os.write(buf, 0, n);
          n = 0;
        }
        buf[n++] = left == 1 ? (byte) '\n' : (byte) ' ';
        left--;
      }
      os.write(buf, 0, n);
    }
  }

  /**
   * Parses a size such as {@code 64MB}, {@code 1GB}, {@code 512KB} or {@code 1000} (bytes); units
   * are powers of 1024 and case-insensitive ({@code B}, {@code KB}, {@code MB}, {@code GB}, {@code
   * TB}, also written {@code KiB} and so on).
   *
   * @param s the text
   * @return the size in bytes
   * @throws IllegalArgumentException if the text is not such a size or the size overflows a long
   */
  public static long parseSize(String s) {
    Objects.requireNonNull(s, "size");
    Matcher m = SIZE.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid size '"
              + s
              + "': expected a whole number of bytes with an optional unit KB, MB, GB or TB"
              + " (powers of 1024), e.g. 64MB");
    }
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    int shift =
        switch (unit.charAt(0)) {
          case 'K' -> 10;
          case 'M' -> 20;
          case 'G' -> 30;
          case 'T' -> 40;
          default -> 0;
        };
    try {
      long number = Long.parseLong(m.group(1));
      if (number > (Long.MAX_VALUE >>> shift)) {
        throw new NumberFormatException("overflow");
      }
      return number << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size '" + s + "' is too large", e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
