package io.troupe.bench;

import com.typesafe.config.Config;
import io.troupe.bench.savina.JdkPools;
import io.troupe.bench.savina.SavinaSuite;
import io.troupe.bench.savina.Workload;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.slf4j.LoggerFactory;

/**
 * Runs the Savina micro set on Troupe's configuration, on Pekko's out-of-the-box configuration and
 * on a JDK baseline where there is one, and prints the comparison as a Markdown table.
 *
 * <p>Implementation notes: both actor systems start once and stay up for the whole run, so no
 * figure includes system start-up; each workload spawns its actors into them and stops them at the
 * end of its round. Per workload, warm-up rounds and then measured rounds alternate the
 * configurations (Troupe, Pekko default, JDK, Troupe, …) so that noise from other processes falls
 * on all of them alike, and each run starts after a full GC. Only the table goes to stdout;
 * progress, warnings and anything a library prints go to stderr.
 */
public final class Savina {

  /** How long one run of one workload may take before the run is declared hung. */
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  /** The configurations compared, in the order they run within a round. */
  private enum Setup {
    TROUPE("Troupe"),
    PEKKO_DEFAULT("Pekko default"),
    JDK("JDK");

    private final String label;

    Setup(String label) {
      this.label = label;
    }
  }

  private final SavinaOptions options;
  private final int cores = Runtime.getRuntime().availableProcessors();

  private Savina(SavinaOptions options) {
    this.options = options;
  }

  /**
   * Runs the suite; see {@link SavinaOptions#USAGE} for the arguments.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    PrintStream table = System.out;
    System.setOut(System.err);
    // Start logging before the actor systems do, so SLF4J has nothing to replay on stderr.
    LoggerFactory.getILoggerFactory();
    SavinaOptions options;
    try {
      options = SavinaOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("savina: " + e.getMessage() + " (see --help)");
      System.exit(2);
      return;
    }
    if (options.help()) {
      table.print(SavinaOptions.USAGE);
      return;
    }
    try {
      String markdown = new Savina(options).run();
      table.print(markdown);
      table.flush();
    } catch (IllegalArgumentException e) {
      System.err.println("savina: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("savina: FAILED: " + e.getMessage());
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private String run() throws InterruptedException {
    List<Workload> workloads = selected(SavinaSuite.workloads(), options.only());
    List<String> experiment = experimentNotes();
    Config troupeConfig = Configurations.troupe(options.troupeApplicationConfig());
    Config pekkoConfig = Configurations.pekkoDefault();
    MachineInfo machine = MachineInfo.capture();
    String loadBefore = MachineInfo.loadAverage();
    CpuMeter meter = CpuMeter.start();
    long started = System.nanoTime();

    List<WorkloadTimes> results = new ArrayList<>();
    ActorSystem<SpawnProtocol.Command> troupe = Configurations.start("troupe", troupeConfig);
    ActorSystem<SpawnProtocol.Command> pekko = Configurations.start("pekko-default", pekkoConfig);
    try (JdkPools pools = new JdkPools(cores)) {
      for (Workload workload : workloads) {
        results.add(measure(workload, troupe, pekko, pools));
      }
    } finally {
      troupe.terminate();
      pekko.terminate();
      troupe.getWhenTerminated().toCompletableFuture().join();
      pekko.getWhenTerminated().toCompletableFuture().join();
    }

    List<String> header = new ArrayList<>();
    header.add(
        String.format(
            Locale.ROOT,
            "Date: %s; machine: %d cores (`nproc`), %s, %s",
            machine.date(),
            machine.cores(),
            machine.cpuModel(),
            machine.os()));
    header.add(
        "JDK: "
            + machine.jdk()
            + "; JVM flags: `"
            + machine.jvmFlags()
            + "` ("
            + machine.heap()
            + ")");
    header.add(
        "Troupe: `TroupeSystem.config(ConfigFactory.empty())` → "
            + DispatcherInfo.describe(troupeConfig, cores));
    header.add(
        "Pekko default: `ConfigFactory.load()` → " + DispatcherInfo.describe(pekkoConfig, cores));
    header.addAll(experiment);
    header.add(
        String.format(
            Locale.ROOT,
            "Rounds: %d warm-up + %d measured per workload and configuration, alternating %s",
            options.warmups(),
            options.rounds(),
            options.jdk() ? "Troupe, Pekko default, JDK" : "Troupe, Pekko default"));
    String others = meter.othersSinceStart().map(s -> s + "; ").orElse("");
    header.add(
        String.format(
            Locale.ROOT,
            "Load while measuring: %sload average %s at start, %s at end; run took %.1f min",
            others,
            loadBefore,
            MachineInfo.loadAverage(),
            (System.nanoTime() - started) / 60e9));
    return Report.markdown(header, results);
  }

  private WorkloadTimes measure(
      Workload workload,
      ActorSystem<SpawnProtocol.Command> troupe,
      ActorSystem<SpawnProtocol.Command> pekko,
      JdkPools pools)
      throws InterruptedException {
    List<Setup> setups = new ArrayList<>(List.of(Setup.TROUPE, Setup.PEKKO_DEFAULT));
    if (options.jdk()
        && workload.jdk().isPresent()
        && !options.skipJdk().contains(workload.name().toLowerCase(Locale.ROOT))) {
      setups.add(Setup.JDK);
    }
    System.err.printf(Locale.ROOT, "%s: %s%n", workload.name(), workload.definition());
    for (int round = 1; round <= options.warmups(); round++) {
      Map<Setup, Long> times = new EnumMap<>(Setup.class);
      for (Setup setup : setups) {
        times.put(setup, runOnce(workload, setup, troupe, pekko, pools));
      }
      progress(workload, "warm-up", round, options.warmups(), times);
    }
    Map<Setup, List<Long>> measured = new EnumMap<>(Setup.class);
    for (Setup setup : Setup.values()) {
      measured.put(setup, new ArrayList<>());
    }
    for (int round = 1; round <= options.rounds(); round++) {
      Map<Setup, Long> times = new EnumMap<>(Setup.class);
      for (Setup setup : setups) {
        long nanos = runOnce(workload, setup, troupe, pekko, pools);
        times.put(setup, nanos);
        measured.get(setup).add(nanos);
      }
      progress(workload, "round", round, options.rounds(), times);
    }
    return new WorkloadTimes(
        workload,
        List.copyOf(measured.get(Setup.TROUPE)),
        List.copyOf(measured.get(Setup.PEKKO_DEFAULT)),
        List.copyOf(measured.get(Setup.JDK)));
  }

  private static long runOnce(
      Workload workload,
      Setup setup,
      ActorSystem<SpawnProtocol.Command> troupe,
      ActorSystem<SpawnProtocol.Command> pekko,
      JdkPools pools)
      throws InterruptedException {
    // Start every run with an empty young generation, so no run pays for the last one's garbage.
    System.gc();
    return switch (setup) {
      case TROUPE -> workload.runOnActors(troupe, RUN_TIMEOUT).nanos();
      case PEKKO_DEFAULT -> workload.runOnActors(pekko, RUN_TIMEOUT).nanos();
      case JDK -> workload.runOnJdk(pools).nanos();
    };
  }

  private static void progress(
      Workload workload, String phase, int round, int rounds, Map<Setup, Long> times) {
    String line =
        times.entrySet().stream()
            .map(e -> e.getKey().label + " " + Report.millis(e.getValue()))
            .collect(Collectors.joining(", "));
    double speedup = (double) times.get(Setup.PEKKO_DEFAULT) / times.get(Setup.TROUPE);
    System.err.printf(
        Locale.ROOT,
        "  %s %s %d/%d: %s (speedup %.2f×)%n",
        workload.name(),
        phase,
        round,
        rounds,
        line,
        speedup);
  }

  private List<String> experimentNotes() {
    List<String> notes = new ArrayList<>();
    for (String hocon : options.troupeConfig()) {
      notes.add("Experiment, Troupe only: `--troupe-config '" + hocon + "'`");
    }
    List<String> troupeProperties = new ArrayList<>();
    List<String> sharedProperties = new ArrayList<>();
    for (String key : System.getProperties().stringPropertyNames().stream().sorted().toList()) {
      String flag = "-D" + key + "=" + System.getProperty(key);
      if (key.startsWith("troupe.")) {
        troupeProperties.add(flag);
      } else if (key.startsWith("pekko.")) {
        sharedProperties.add(flag);
      }
    }
    if (!troupeProperties.isEmpty()) {
      notes.add("Experiment, Troupe only: `" + String.join(" ", troupeProperties) + "`");
    }
    if (!sharedProperties.isEmpty()) {
      notes.add(
          "Experiment, both configurations (system properties override `ConfigFactory.load()`"
              + " too): `"
              + String.join(" ", sharedProperties)
              + "`");
      System.err.println(
          "savina: warning: -Dpekko.* system properties change the Pekko-default baseline as"
              + " well; use --troupe-config to change Troupe alone");
    }
    return notes;
  }

  private static List<Workload> selected(List<Workload> all, List<String> only) {
    if (only.isEmpty()) {
      return all;
    }
    List<Workload> selected = new ArrayList<>();
    for (String name : only) {
      Workload match =
          all.stream()
              .filter(w -> w.name().toLowerCase(Locale.ROOT).equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown workload: "
                              + name
                              + "; choose from "
                              + all.stream()
                                  .map(Workload::name)
                                  .collect(Collectors.joining(", "))));
      if (!selected.contains(match)) {
        selected.add(match);
      }
    }
    return selected;
  }
}
