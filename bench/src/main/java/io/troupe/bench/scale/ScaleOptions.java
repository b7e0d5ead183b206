package io.troupe.bench.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The command line of {@link ScaleBench}.
 *
 * @param help whether to print the usage and exit
 * @param sizes nominal job sizes in ascending order: a size {@code n} runs {@code primes --limit
 *     n×1000 --segment 1000}, which has {@code n + 1} items
 * @param setups the node setups each size runs on, in table order
 * @param xmx the heap ({@code -Xms} and {@code -Xmx}) of each job case's JVM, like {@code 512m}
 * @param actorsXmx the heap of each idle-actors case's JVM
 * @param timeout the longest a job may take from submission to its final status; the actor cases'
 *     spawning and messaging get the same limit
 * @param rounds runs of each case, each in a fresh JVM; tables show the median
 * @param warmup items of the job each job case runs before its baseline (0 for none)
 * @param actors idle actors to spawn in each idle-actors case
 * @param dispatch whether to run the job cases
 * @param idleActors whether to run the idle-actors cases
 */
public record ScaleOptions(
    boolean help,
    List<Long> sizes,
    List<Setup> setups,
    String xmx,
    String actorsXmx,
    Duration timeout,
    int rounds,
    long warmup,
    int actors,
    boolean dispatch,
    boolean idleActors) {

  /** The largest size: its limit, size×1000, is what the primes pipeline's sieve accepts. */
  static final long MAX_SIZE = 10_000_000_000_000L;

  private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");

  /** How the nodes of a job case are set up. */
  public enum Setup {
    /** One embedded node whose ledger is an H2 file ({@code troupe run}'s default). */
    H2("h2", "1 node, H2 file ledger"),
    /** One embedded node whose ledger is PostgreSQL on 127.0.0.1:5432. */
    POSTGRES("postgres", "1 node, PostgreSQL ledger"),
    /**
     * One embedded node with an H2 file ledger, running the job as {@link ListedPrimes}: the same
     * items, listed, so the coordinator and the ledger hold each as an object.
     */
    LISTED("listed", "1 node, H2 file ledger, listed plan"),
    /** Three nodes in one JVM on loopback sharing one H2 file ledger. */
    THREE("three", "3 nodes in one JVM, H2 file ledger"),
    /** One embedded node with the in-memory journal: the runtime without a durable ledger. */
    MEMORY("memory", "1 node, in-memory journal");

    private final String option;
    private final String label;

    Setup(String option, String label) {
      this.option = option;
      this.label = label;
    }

    /** Returns the name the command line uses, like {@code h2}. */
    public String option() {
      return option;
    }

    /** Returns the name tables show. */
    public String label() {
      return label;
    }

    static Setup of(String option) {
      for (Setup s : values()) {
        if (s.option.equals(option)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "unknown setup " + option + "; expected h2, postgres, listed, three or memory");
    }
  }

  /** The usage text printed by {@code --help}. */
  public static final String USAGE =
      """
      Usage: bench/run scale [-Dkey=value] [options]
      Measures how the job runtime scales: items/s and live heap per item of one job of
      trivial items (primes --limit SIZE*1000 --segment 1000, SIZE+1 items of a few µs) for
      growing sizes, and the live heap of 1,000,000 idle actors, Troupe vs Pekko's defaults.
      Every case runs in a fresh JVM; one that runs out of heap or time is reported as such.

        --sizes N[,N]         job sizes in items: 1e4, 10^5 or 100000 (default 1e4,1e5,1e6)
        --setups S[,S]        h2, postgres, listed, three, memory (default
                              h2,postgres,listed,three); listed runs the same items as
                              a listed plan (each held as an object);
                              postgres is left out when 127.0.0.1:5432 does not answer
        --xmx SIZE            heap of each job case's JVM (default 512m, the issue's target)
        --actors-xmx SIZE     heap of each idle-actors case's JVM (default 1g)
        --timeout S           longest a job may take, submission to final status (default 600)
        --rounds N            runs of each case, each in a fresh JVM (default 1); median shown
        --warmup N            items of a warm-up job before the measured one (default 100000,
                              about a second: the JIT compiles the dispatch path and the
                              sieve before the measured job, as the house rules ask; a
                              fresh JVM's first job is what one bin/troupe run shows)
        --actors N            idle actors per idle-actors case (default 1000000)
        --only dispatch|actors  run only the job cases or only the idle-actors cases
        --help                print this text

      A setup's larger sizes are skipped once a smaller one ran out of heap or time in every
      round; name a size alone (--sizes 1e7) to run it anyway. -D options are passed on to
      every case's JVM.
      """;

  /**
   * Parses the command line.
   *
   * @param args the arguments
   * @return the options
   * @throws IllegalArgumentException with a one-line message if an argument is unknown or invalid
   */
  public static ScaleOptions parse(String... args) {
    boolean help = false;
    List<Long> sizes = List.of(10_000L, 100_000L, 1_000_000L);
    List<Setup> setups = List.of(Setup.H2, Setup.POSTGRES, Setup.LISTED, Setup.THREE);
    String xmx = "512m";
    String actorsXmx = "1g";
    long timeoutSeconds = 600;
    int rounds = 1;
    long warmup = 100_000;
    long actors = 1_000_000;
    boolean dispatch = true;
    boolean idleActors = true;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> help = true;
        case "--sizes" -> sizes = sizes(value(args, ++i, arg));
        case "--setups" -> setups = setups(value(args, ++i, arg));
        case "--xmx" -> xmx = heap(value(args, ++i, arg), arg);
        case "--actors-xmx" -> actorsXmx = heap(value(args, ++i, arg), arg);
        case "--timeout" -> timeoutSeconds = positive(value(args, ++i, arg), arg);
        case "--rounds" -> rounds = (int) Math.min(positive(value(args, ++i, arg), arg), 100);
        case "--warmup" -> warmup = count(value(args, ++i, arg), arg, 0, MAX_SIZE);
        case "--actors" -> actors = count(value(args, ++i, arg), arg, 1, Integer.MAX_VALUE);
        case "--only" -> {
          String only = value(args, ++i, arg);
          switch (only) {
            case "dispatch" -> idleActors = false;
            case "actors" -> dispatch = false;
            default ->
                throw new IllegalArgumentException("--only takes dispatch or actors, was " + only);
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return new ScaleOptions(
        help,
        sizes,
        setups,
        xmx,
        actorsXmx,
        Duration.ofSeconds(timeoutSeconds),
        rounds,
        warmup,
        (int) actors,
        dispatch,
        idleActors);
  }

  /**
   * Reads a count written as {@code 100000}, {@code 100_000}, {@code 1e5} or {@code 10^5}.
   *
   * @param text the count
   * @return its value
   * @throws IllegalArgumentException if it is none of those forms
   */
  static long parseCount(String text) {
    String t = text.strip().replace("_", "").toLowerCase(Locale.ROOT);
    try {
      int e = t.indexOf('e');
      int caret = t.indexOf("^");
      if (e > 0 || caret > 0) {
        long mantissa = Long.parseLong(e > 0 ? t.substring(0, e) : "1");
        if (caret > 0 && !t.substring(0, caret).equals("10")) {
          throw new NumberFormatException();
        }
        int exponent = Integer.parseInt(t.substring(e > 0 ? e + 1 : caret + 1));
        if (exponent < 0 || exponent > 18) {
          throw new NumberFormatException();
        }
        return Math.multiplyExact(mantissa, (long) Math.pow(10, exponent));
      }
      return Long.parseLong(t);
    } catch (NumberFormatException | ArithmeticException ex) {
      throw new IllegalArgumentException(
          "expected a count like 100000, 1e5 or 10^5, was " + text, ex);
    }
  }

  private static List<Long> sizes(String list) {
    List<Long> sizes = new ArrayList<>();
    for (String part : list.split(",")) {
      long size = count(part, "--sizes", 1, MAX_SIZE);
      if (!sizes.contains(size)) {
        sizes.add(size);
      }
    }
    sizes.sort(null);
    return List.copyOf(sizes);
  }

  private static List<Setup> setups(String list) {
    List<Setup> setups = new ArrayList<>();
    for (String part : list.split(",")) {
      Setup s = Setup.of(part.strip().toLowerCase(Locale.ROOT));
      if (!setups.contains(s)) {
        setups.add(s);
      }
    }
    return List.copyOf(setups);
  }

  private static long count(String text, String option, long min, long max) {
    long n = parseCount(text);
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          option + " must be between " + min + " and " + max + ", was " + text.strip());
    }
    return n;
  }

  private static long positive(String text, String option) {
    return count(text, option, 1, Long.MAX_VALUE);
  }

  private static String heap(String text, String option) {
    if (!HEAP.matcher(text).matches()) {
      throw new IllegalArgumentException(
          option + " takes a heap size like 512m or 2g, was " + text);
    }
    return text.toLowerCase(Locale.ROOT);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
