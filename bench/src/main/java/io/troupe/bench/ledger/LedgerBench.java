package io.troupe.bench.ledger;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.bench.CpuMeter;
import io.troupe.bench.MachineInfo;
import io.troupe.bench.Report;
import io.troupe.bench.Stats;
import io.troupe.bench.scale.ListedPrimes;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.ParsedPipeline;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.internal.JobLedger;
import io.troupe.persistence.internal.LedgerProtocol;
import io.troupe.persistence.internal.PersistenceSettings;
import io.troupe.sdk.Confinement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The job ledger's cost: the same job of 20,000 items of about 1 ms each on a node whose ledger is
 * an H2 file or PostgreSQL, against a node with an in-memory journal, in alternating rounds of one
 * run; and how long a ledger of 10,000 or 100,000 completed items takes to recover.
 *
 * <p>Each variant is an embedded single-node cluster in this JVM (the path {@code troupe run}
 * takes), all started once and kept running, so rounds differ only in the journal. PostgreSQL is
 * the local server on 127.0.0.1:5432 (trust authentication) with a throw-away database; without a
 * server the PostgreSQL column is left out.
 */
public final class LedgerBench {

  private static final String MONTECARLO = "montecarlo";

  /** 20,000 items of 20,000 paths: about 1 ms each on one core of the reference machine. */
  private static final List<String> JOB =
      List.of("--paths", "400000000", "--batch", "20000", "--seed", "7");

  private LedgerBench() {}

  /**
   * Runs the benchmark and prints its Markdown tables on stdout.
   *
   * @param args {@code [--quick] [--rounds N]}
   */
  public static void main(String[] args) throws Exception {
    boolean quick = false;
    int rounds = -1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("ledger: unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    int warmups = quick ? 1 : 2;
    if (rounds < 0) {
      rounds = 5;
    }
    MachineInfo machine = MachineInfo.capture();
    String loadBefore = MachineInfo.loadAverage();
    CpuMeter meter = CpuMeter.start();
    long started = System.nanoTime();
    Path work = Files.createDirectories(Path.of("bench", "target", "ledger").toAbsolutePath());
    String pgDatabase = "troupe_bench_" + Long.toHexString(System.nanoTime());
    boolean postgres = createDatabase(pgDatabase);
    if (!postgres) {
      System.err.println("ledger: PostgreSQL is not reachable on 127.0.0.1:5432; leaving it out");
    }

    Map<String, TroupeNode> nodes = new LinkedHashMap<>();
    StringBuilder out = new StringBuilder();
    try {
      nodes.put("memory", start("memory", "troupe.persistence.journal = memory"));
      nodes.put(
          "H2",
          start(
              "h2",
              "troupe.persistence.h2.file = \""
                  + work.resolve("ledger-" + System.currentTimeMillis())
                  + "\""));
      if (postgres) {
        nodes.put(
            "PostgreSQL",
            start(
                "pg",
                "troupe.persistence { journal = postgres, postgres { url = \""
                    + pgUrl(pgDatabase)
                    + "\", user = postgres, password = \"\" } }"));
      }
      String expected = null;
      Map<String, List<Long>> times = new LinkedHashMap<>();
      nodes.keySet().forEach(k -> times.put(k, new ArrayList<>()));
      int job = 0;
      double itemMs = 0;
      for (int round = 0; round < warmups + rounds; round++) {
        boolean measured = round >= warmups;
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, TroupeNode> e : nodes.entrySet()) {
          String id = "ledger-bench-" + (++job);
          System.gc();
          long t0 = System.nanoTime();
          JobStatus done = run(e.getValue(), id, JOB);
          long nanos = System.nanoTime() - t0;
          String result = done.result().toString();
          if (expected == null) {
            expected = result;
          } else if (!expected.equals(result)) {
            throw new IllegalStateException(e.getKey() + " computed " + result);
          }
          itemMs = done.report().path("stages").path(0).path("p50Ms").asDouble();
          line.append(String.format(Locale.ROOT, " %s %s", e.getKey(), Report.millis(nanos)));
          if (measured) {
            times.get(e.getKey()).add(nanos);
          }
        }
        System.err.printf(
            Locale.ROOT,
            "  job %s %d:%s%n",
            measured ? "round" : "warm-up",
            measured ? round - warmups + 1 : round + 1,
            line);
      }
      List<Long> memory = times.get("memory");
      out.append("### Ledger: a job of 20,000 items of ~1 ms, durable ledger vs in-memory\n\n");
      header(out, machine, warmups, rounds);
      out.append(
          String.format(
              Locale.ROOT,
              "- Job: `montecarlo %s` on an embedded node, 2 workers; 20,000 items, p50 item time"
                  + " %.2f ms; the result is checked equal across journals%n",
              String.join(" ", JOB),
              itemMs));
      out.append(MachineInfo.loadLine(meter, loadBefore, started));
      out.append("| Ledger | Job time | Overhead vs in-memory |\n|---|---:|---:|\n");
      out.append(
          String.format(Locale.ROOT, "| in-memory journal | %s | (baseline) |%n", millis(memory)));
      for (String k : times.keySet()) {
        if (!k.equals("memory")) {
          List<Long> t = times.get(k);
          List<Double> overhead = new ArrayList<>();
          for (double r : Stats.ratios(t, memory)) {
            overhead.add((r - 1) * 100);
          }
          out.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | %+.1f%% (%+.1f … %+.1f%%) |%n",
                  k,
                  millis(t),
                  Stats.median(overhead),
                  overhead.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                  overhead.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
        }
      }
      out.append(
          "\nOverhead is a round's durable-ledger job time ÷ its in-memory job time − 1, median"
              + " (min … max) over the rounds.\n\n");

      out.append("### Ledger recovery time\n\n");
      out.append(
          "Time for a job's ledger to load its latest snapshot and replay the events after it"
              + " (a fresh ledger actor for a completed job, until it answers), median of 5."
              + " Snapshots every 2,000 events (the default) keep it from growing with the"
              + " job. Montecarlo plans its batches by index; the listed job is primes with"
              + " its segments listed (`"
              + ListedPrimes.NAME
              + "`), whose items the ledger reads back from its journal's events, as"
              + " snapshots hold none.\n\n");
      out.append(
          "| Ledger | 10,000 items | 100,000 items | 1,000,001 listed items |\n"
              + "|---|---:|---:|---:|\n");
      for (Map.Entry<String, TroupeNode> e : nodes.entrySet()) {
        if (e.getKey().equals("memory")) {
          continue;
        }
        String small = "recover-10k-" + e.getKey();
        String big = "recover-100k-" + e.getKey();
        String listed = "recover-listed-" + e.getKey();
        run(e.getValue(), small, MONTECARLO, List.of("--paths", "10000000", "--batch", "1000"));
        run(e.getValue(), big, MONTECARLO, List.of("--paths", "100000000", "--batch", "1000"));
        run(
            e.getValue(),
            listed,
            ListedPrimes.NAME,
            List.of("--limit", "1000000000", "--segment", "1000"));
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s |%n",
                e.getKey(),
                Report.millis(recovery(e.getValue(), small)),
                Report.millis(recovery(e.getValue(), big)),
                Report.millis(recovery(e.getValue(), listed))));
      }
    } finally {
      nodes.values().forEach(TroupeNode::close);
      if (postgres) {
        dropDatabase(pgDatabase);
      }
    }
    System.out.print(out);
  }

  private static TroupeNode start(String name, String persistence) throws Exception {
    Config config =
        ConfigFactory.parseString(
            persistence + "\ntroupe.jobs.workers-per-node = 2\npekko.loglevel = WARNING\n");
    TroupeNode node =
        TroupeNode.start("ledger-" + name, config, Pipelines.load(), TroupeNode.Membership.SELF);
    node.whenUp().toCompletableFuture().get(1, TimeUnit.MINUTES);
    return node;
  }

  private static JobStatus run(TroupeNode node, String id, List<String> args) throws Exception {
    return run(node, id, MONTECARLO, args);
  }

  private static JobStatus run(TroupeNode node, String id, String pipeline, List<String> args)
      throws Exception {
    node.jobs()
        .start(new JobSpec(id, pipeline, args))
        .toCompletableFuture()
        .get(10, TimeUnit.MINUTES);
    JobStatus done =
        node.jobs()
            .awaitCompletion(id, Duration.ofMinutes(30))
            .toCompletableFuture()
            .get(31, TimeUnit.MINUTES);
    if (!"completed".equals(done.state())) {
      throw new IllegalStateException(id + " ended " + done.state() + ": " + done.error());
    }
    return done;
  }

  /** Median time of five recoveries of a job's ledger by a fresh ledger actor. */
  private static double recovery(TroupeNode node, String job) throws Exception {
    PersistenceSettings settings = PersistenceSettings.create(node.system().settings().config());
    Pipelines pipelines = node.pipelines();
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      ActorRef<LedgerProtocol.Command> ledger =
          node.system()
              .systemActorOf(
                  JobLedger.create(
                      job,
                      settings,
                      spec ->
                          ParsedPipeline.parse(
                                  pipelines.get(spec.pipeline()), spec.args(), Confinement.local())
                              .combiner()),
                  "recover-" + job + "-" + i,
                  Props.empty());
      LedgerProtocol.Recovered r =
          AskPattern.<LedgerProtocol.Command, LedgerProtocol.Recovered>ask(
                  ledger,
                  LedgerProtocol.GetState::new,
                  Duration.ofMinutes(2),
                  node.system().scheduler())
              .toCompletableFuture()
              .get(3, TimeUnit.MINUTES);
      times.add(System.nanoTime() - t0);
      if (r.outcome() == null) {
        throw new IllegalStateException(job + " did not recover as completed");
      }
      org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(node.system())
          .stop(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(ledger));
    }
    return Stats.median(times);
  }

  private static String millis(List<Long> nanos) {
    return Report.millis(Stats.median(nanos));
  }

  private static void header(StringBuilder out, MachineInfo machine, int warmups, int rounds) {
    out.append(machine.markdownLines());
    out.append(
        String.format(
            Locale.ROOT,
            "- Rounds: %d warm-up + %d measured, each running the job once per ledger in turn%n",
            warmups,
            rounds));
  }

  private static String pgUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:5432/" + database;
  }

  private static boolean createDatabase(String name) {
    try (Connection c = DriverManager.getConnection(pgUrl("postgres"), "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private static void dropDatabase(String name) {
    try (Connection c = DriverManager.getConnection(pgUrl("postgres"), "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("ledger: could not drop the database " + name + ": " + e.getMessage());
    }
  }
}
