package io.troupe.bench.scale;

import io.troupe.bench.MachineInfo;
import io.troupe.bench.scale.ScaleOptions.Setup;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How the job runtime's cost grows with a job's size: items/s and live heap per item of one job of
 * trivial items at 10^4, 10^5, 10^6 … items on one node with an H2 or PostgreSQL ledger and on
 * three nodes, and the live heap of one million idle actors on Troupe against Pekko's defaults.
 *
 * <p>Every case (a setup at a size, or an actor system) runs in a fresh JVM with a heap of its own
 * ({@link ChildJvm}), so a case that runs out of heap or time is one row that says so, and the next
 * case starts clean. The cases are {@link DispatchCase} and {@link IdleActorsCase}; this class
 * starts them in turn, creates and drops their PostgreSQL databases and H2 files, and prints the
 * Markdown tables.
 */
public final class ScaleBench {

  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";

  private final ScaleOptions options;
  private final Path work;

  private ScaleBench(ScaleOptions options, Path work) {
    this.options = options;
    this.work = work;
  }

  /**
   * Runs the benchmark and prints its Markdown tables on stdout.
   *
   * @param args see {@link ScaleOptions#USAGE}
   */
  public static void main(String[] args) throws Exception {
    PrintStream table = System.out;
    System.setOut(System.err);
    ScaleOptions options;
    try {
      options = ScaleOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("scale: " + e.getMessage() + " (see --help)");
      System.exit(2);
      return;
    }
    if (options.help()) {
      table.print(ScaleOptions.USAGE);
      return;
    }
    Path work = Files.createDirectories(Path.of("bench", "target", "scale").toAbsolutePath());
    table.print(new ScaleBench(options, work).run());
    table.flush();
    System.exit(0);
  }

  private String run() throws Exception {
    MachineInfo machine = MachineInfo.capture();
    String loadBefore = MachineInfo.loadAverage();
    long started = System.nanoTime();
    List<Setup> setups = new ArrayList<>(options.setups());
    List<String> notes = new ArrayList<>();
    if (options.dispatch() && setups.contains(Setup.POSTGRES) && !postgresAnswers()) {
      setups.remove(Setup.POSTGRES);
      notes.add(
          "- PostgreSQL is not reachable on 127.0.0.1:5432: the PostgreSQL rows are left out\n");
      System.err.println("scale: PostgreSQL is not reachable on 127.0.0.1:5432; leaving it out");
    }

    List<ScaleTables.JobRow> jobs = new ArrayList<>();
    if (options.dispatch()) {
      for (long size : options.sizes()) {
        for (Setup setup : setups) {
          jobs.add(new ScaleTables.JobRow(setup, size, options.xmx(), new ArrayList<>()));
        }
        for (int round = 0; round < options.rounds(); round++) {
          for (ScaleTables.JobRow row : jobs) {
            if (row.size() == size) {
              String gaveOut = gaveOut(jobs, row);
              row.rounds()
                  .add(
                      gaveOut.isEmpty()
                          ? runJob(row.setup(), size, round)
                          : CaseResult.of(CaseResult.SKIPPED, gaveOut, 0));
            }
          }
        }
      }
    }
    List<ScaleTables.ActorRow> actors = new ArrayList<>();
    if (options.idleActors()) {
      ScaleTables.ActorRow troupe =
          new ScaleTables.ActorRow(
              "Troupe (TroupeSystem)", options.actors(), options.actorsXmx(), new ArrayList<>());
      ScaleTables.ActorRow pekko =
          new ScaleTables.ActorRow(
              "Pekko default (baseline)", options.actors(), options.actorsXmx(), new ArrayList<>());
      actors.add(troupe);
      actors.add(pekko);
      for (int round = 0; round < options.rounds(); round++) {
        troupe.rounds().add(runActors("troupe"));
        pekko.rounds().add(runActors("pekko"));
      }
    }
    return render(machine, loadBefore, started, notes, setups, jobs, actors);
  }

  /**
   * Says why a row need not run: a smaller size of its setup ran out of heap or time in every
   * round, so a larger one would too, only later. Returns "" if it should run.
   */
  static String gaveOut(List<ScaleTables.JobRow> rows, ScaleTables.JobRow row) {
    for (ScaleTables.JobRow smaller : rows) {
      if (smaller.setup() == row.setup()
          && smaller.size() < row.size()
          && !smaller.rounds().isEmpty()
          && smaller.rounds().stream()
              .allMatch(
                  r ->
                      r.outcome().equals(CaseResult.OOM)
                          || r.outcome().equals(CaseResult.TIMEOUT))) {
        String why =
            smaller.rounds().get(0).outcome().equals(CaseResult.OOM)
                ? "ran out of heap"
                : "timed out";
        return "skipped: " + ScaleTables.sizeLabel(smaller.size()) + " " + why;
      }
    }
    return "";
  }

  private CaseResult runJob(Setup setup, long size, int round) throws Exception {
    String label = setup.option() + " " + ScaleTables.sizeLabel(size);
    System.err.printf(
        Locale.ROOT,
        "scale: %s (%,d items, -Xmx%s), round %d%n",
        label,
        size + 1,
        options.xmx(),
        round + 1);
    Path dir = Files.createDirectories(work.resolve(setup.option() + "-" + size + "-" + round));
    String database = "troupe_scale_" + Long.toHexString(System.nanoTime());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--setup", setup.option(),
                "--size", Long.toString(size),
                "--timeout", Long.toString(options.timeout().toSeconds()),
                "--warmup", Long.toString(options.warmup()),
                "--work", dir.toString()));
    if (setup == Setup.POSTGRES) {
      createDatabase(database);
      args.add("--pg-url");
      args.add(PG + database);
    }
    CaseResult result;
    try {
      // Startup, the warm-up job and the full GCs of the heap readings come on top of the job.
      result =
          ChildJvm.run(
              options.xmx(),
              DispatchCase.class,
              args,
              options.timeout().plus(Duration.ofMinutes(5)),
              options.timeout().toSeconds());
    } finally {
      if (setup == Setup.POSTGRES) {
        dropDatabase(database);
      }
      deleteTree(dir);
    }
    if (result.ok()) {
      System.err.printf(
          Locale.ROOT,
          "scale: %s: %,.0f items/s, %,.0f bytes/item at peak, %s; case took %.0f s%n",
          label,
          ScaleTables.itemsPerSec(result),
          ScaleTables.peakBytesPerItem(result),
          result.json().path("exact").asBoolean() ? "exact" : "NOT EXACT",
          result.caseNanos() / 1e9);
    } else {
      System.err.printf(
          Locale.ROOT,
          "scale: %s: %s; case took %.0f s%n",
          label,
          result.detail(),
          result.caseNanos() / 1e9);
    }
    return result;
  }

  private CaseResult runActors(String system) throws Exception {
    System.err.printf(
        Locale.ROOT,
        "scale: %,d idle actors on %s (-Xmx%s)%n",
        options.actors(),
        system,
        options.actorsXmx());
    CaseResult result =
        ChildJvm.run(
            options.actorsXmx(),
            IdleActorsCase.class,
            List.of(
                "--system", system,
                "--actors", Integer.toString(options.actors()),
                "--timeout", Long.toString(options.timeout().toSeconds())),
            options.timeout().plus(Duration.ofMinutes(3)),
            options.timeout().toSeconds());
    System.err.printf(
        Locale.ROOT,
        "scale: %s: %s; case took %.0f s%n",
        system,
        result.ok()
            ? String.format(
                Locale.ROOT,
                "%,.0f bytes/actor",
                (result.number("liveBytes") - result.number("baselineBytes"))
                    / result.number("actors"))
            : result.detail(),
        result.caseNanos() / 1e9);
    return result;
  }

  private String render(
      MachineInfo machine,
      String loadBefore,
      long started,
      List<String> notes,
      List<Setup> setups,
      List<ScaleTables.JobRow> jobs,
      List<ScaleTables.ActorRow> actors) {
    StringBuilder out = new StringBuilder();
    out.append("### Scale: one job of trivial items at growing sizes; idle actors\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "- Date: %s; machine: %d cores (`nproc`), %s, %s%n- JDK: %s%n",
            machine.date(),
            machine.cores(),
            machine.cpuModel(),
            machine.os(),
            machine.jdk()));
    out.append(
        "- Every case runs in a fresh JVM: `"
            + String.join(" ", ChildJvm.flags("SIZE"))
            + "`, SIZE as the Heap column says; a case that runs out of heap ends at its first"
            + " OutOfMemoryError and its row says OOM\n");
    if (!jobs.isEmpty()) {
      out.append(
          String.format(
              Locale.ROOT,
              "- Job: `primes --limit SIZE×1000 --segment 1000` (SIZE + 1 items, each sieving"
                  + " 1,000 numbers; the listed setup runs the same items as a listed plan,"
                  + " `scale-listed-primes`) submitted to the first node; 2 workers per node,"
                  + " Troupe's"
                  + " defaults otherwise; a warm-up job of %,d items runs first in the same JVM;"
                  + " limit %d s from submission to the final status; %d round(s) per case,"
                  + " median shown%n",
              options.warmup(),
              options.timeout().toSeconds(),
              options.rounds()));
    }
    notes.forEach(out::append);
    out.append(
        String.format(
            Locale.ROOT,
            "- Load average %s at start, %s at end; run took %.1f min%n%n",
            loadBefore,
            MachineInfo.loadAverage(),
            (System.nanoTime() - started) / 60e9));
    if (!jobs.isEmpty()) {
      out.append("#### Dispatch throughput\n\n");
      out.append(ScaleTables.throughput(jobs));
      out.append(
          "\nJob wall time runs from submission to the completed status (JobClient.start to"
              + " awaitCompletion's answer), less the full GCs of the heap readings taken while the"
              + " job ran; items/s is items ÷ that time. The report's wallMs and items/s are the"
              + " job's own (they include those GCs). Sieve per item is one thread's time for one"
              + " item's work alone, so 2 workers per node could reach at most 2 ÷ it items/s"
              + " per node. Exact: the job completed with every item and π(SIZE×1000) as its"
              + " count.\n\n");
      out.append("#### Live heap per item\n\n");
      out.append(ScaleTables.heap(jobs));
      out.append(
          "\nLive heap is the whole JVM's heap right after a full GC (System.gc(); the"
              + " collector's own after-GC figure), read before submitting (after the warm-up"
              + " job), about every second while the job is planned and recorded, once it is,"
              + " at about 25%, 50% and 75% of its items complete, and at the end before the"
              + " coordinator lets the completed job go; the peak is the highest of those and of"
              + " any full GC the heap's own pressure brought (a pressure GC; Full GCs counts"
              + " both kinds). Bytes/item is (reading − before) ÷ items. With three nodes the JVM holds all"
              + " three; with H2 it holds H2's page cache, which H2 sizes by the heap.\n\n");
      out.append("#### Cost growth\n\n");
      out.append(ScaleTables.growth(jobs, setups));
      out.append(
          "\nEach size against the smallest size of the same setup in this run. Flat means"
              + " within 2× (0.5–2.0) of the smallest size.\n\n");
    }
    if (!actors.isEmpty()) {
      out.append("#### Idle actors\n\n");
      out.append(ScaleTables.actors(actors));
      out.append(
          "\nOne actor system spawns the actors (children of one parent, in batches of"
              + " 10,000), sends each one message and waits until every one has handled it;"
              + " live heap they hold is the live heap after a full GC then, less before"
              + " spawning. Same actor code on both; Troupe is TroupeSystem's configuration,"
              + " Pekko default is its reference.conf alone. The target is at most 512 MiB"
              + " for 1,000,000 actors; per 1,000,000 actors is bytes/actor × 1,000,000.\n");
    }
    return out.toString();
  }

  private static boolean postgresAnswers() {
    try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "")) {
      return c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  private static void createDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
  }

  private static void dropDatabase(String name) {
    try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("scale: could not drop the database " + name + ": " + e.getMessage());
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
