package io.troupe.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The command line of {@link Savina}.
 *
 * @param help whether to print the usage and exit
 * @param quick whether the quick preset was chosen
 * @param warmups warm-up rounds per workload and configuration
 * @param rounds measured rounds per workload and configuration
 * @param only the workload names to run, lower case; empty for all
 * @param troupeConfig extra config for the Troupe configuration only, as given
 * @param jdk whether to run the JDK baselines
 * @param skipJdk workloads, lower case, whose JDK baseline is skipped even when {@code jdk} is on
 */
public record SavinaOptions(
    boolean help,
    boolean quick,
    int warmups,
    int rounds,
    List<String> only,
    List<String> troupeConfig,
    boolean jdk,
    List<String> skipJdk) {

  /** Warm-up rounds of a full run. */
  public static final int FULL_WARMUPS = 5;

  /** Measured rounds of a full run. */
  public static final int FULL_ROUNDS = 10;

  /** Warm-up rounds of a {@code --quick} run. */
  public static final int QUICK_WARMUPS = 2;

  /** Measured rounds of a {@code --quick} run: the minimum docs/BENCHMARKS.md allows. */
  public static final int QUICK_ROUNDS = 5;

  /** The usage text printed by {@code --help}. */
  public static final String USAGE =
      """
      Usage: bench/run [JVM -D/-XX options] [options]
      Runs the Savina micro set on Troupe, on Pekko's defaults and on a JDK baseline,
      alternating them round by round, and prints a Markdown table on stdout.

        --quick               %d warm-up and %d measured rounds (default %d and %d)
        --warmup N            warm-up rounds per workload and configuration
        --rounds N            measured rounds per workload and configuration (at least 5
                              for figures you publish)
        --only NAME[,NAME]    run only these workloads: PingPong, Counting, ThreadRing,
                              Big, Chameneos, Fibonacci, ForkJoinThroughput
        --troupe-config HOCON extra config for the Troupe configuration only, for
                              experiments, e.g. 'troupe.actors.throughput = 20'; may repeat
        --no-jdk              skip the JDK baselines
        --skip-jdk NAME[,NAME] skip the JDK baseline of these workloads only
        --help                print this text

      -Dtroupe.* system properties change Troupe only. -Dpekko.* system properties change
      both configurations (ConfigFactory.load() reads them too); use --troupe-config to
      change Troupe's dispatcher alone.
      """
          .formatted(QUICK_WARMUPS, QUICK_ROUNDS, FULL_WARMUPS, FULL_ROUNDS);

  /**
   * Parses the command line.
   *
   * @param args the arguments
   * @return the options
   * @throws IllegalArgumentException with a one-line message if an argument is unknown or invalid
   */
  public static SavinaOptions parse(String... args) {
    boolean help = false;
    boolean quick = false;
    Integer warmups = null;
    Integer rounds = null;
    List<String> only = new ArrayList<>();
    List<String> troupeConfig = new ArrayList<>();
    boolean jdk = true;
    List<String> skipJdk = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> help = true;
        case "--quick" -> quick = true;
        case "--no-jdk" -> jdk = false;
        case "--warmup" -> warmups = count(arg, value(args, ++i, arg), 0);
        case "--rounds" -> rounds = count(arg, value(args, ++i, arg), 1);
        case "--only" ->
            Arrays.stream(value(args, ++i, arg).split(","))
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .map(name -> name.toLowerCase(Locale.ROOT))
                .forEach(only::add);
        case "--troupe-config" -> troupeConfig.add(hocon(value(args, ++i, arg)));
        case "--skip-jdk" ->
            Arrays.stream(value(args, ++i, arg).split(","))
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .map(name -> name.toLowerCase(Locale.ROOT))
                .forEach(skipJdk::add);
        default -> throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    return new SavinaOptions(
        help,
        quick,
        warmups != null ? warmups : quick ? QUICK_WARMUPS : FULL_WARMUPS,
        rounds != null ? rounds : quick ? QUICK_ROUNDS : FULL_ROUNDS,
        List.copyOf(only),
        List.copyOf(troupeConfig),
        jdk,
        List.copyOf(skipJdk));
  }

  /**
   * Returns the extra Troupe config as one config, later settings winning.
   *
   * @return the config; empty if none was given
   */
  public Config troupeApplicationConfig() {
    Config config = ConfigFactory.empty();
    for (String hocon : troupeConfig) {
      config = ConfigFactory.parseString(hocon).withFallback(config);
    }
    return config;
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static int count(String option, String value, int minimum) {
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, was: " + value, e);
    }
    if (parsed < minimum) {
      throw new IllegalArgumentException(option + " must be >= " + minimum + ", was " + parsed);
    }
    return parsed;
  }

  private static String hocon(String value) {
    try {
      ConfigFactory.parseString(value);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("--troupe-config is not valid HOCON: " + value, e);
    }
    return value;
  }
}
