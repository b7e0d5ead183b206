package io.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.internal.JobSettings;
import io.troupe.cluster.internal.ParsedPipeline;
import io.troupe.cluster.internal.PipelineSettings;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.sdk.Pipeline;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code troupe run <pipeline> [options]}: runs a pipeline on an embedded single-node cluster (the
 * same coordinator, workers and ledger a real cluster uses), or its sequential reference.
 */
@Command(
    name = "run",
    description = {
      "Run a pipeline on an embedded single-node cluster with an H2 ledger under data/runs/.",
      "Pipeline options follow the pipeline's name; see 'troupe list' and 'troupe run <pipeline>"
          + " --help'."
    })
final class RunCommand implements Callable<Integer> {

  /** Output formats. */
  enum Format {
    text,
    json
  }

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "<pipeline>",
      description = "The pipeline to run.")
  String pipeline;

  @Parameters(
      index = "1..*",
      paramLabel = "<options>",
      description = "The pipeline's own options.",
      arity = "0..*")
  List<String> pipelineArgs = new ArrayList<>();

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Concurrent workers (default: available cores).")
  Integer workers;

  @Option(names = "--config", paramLabel = "FILE", description = "HOCON config file to use.")
  Path config;

  @Option(
      names = "--resume",
      paramLabel = "JOB",
      description = "Continue a job that was interrupted, from its ledger.")
  String resume;

  @Option(names = "--sequential", description = "Run the plain single-threaded reference instead.")
  boolean sequential;

  @Option(
      names = "--compare-sequential",
      description = "Also run the sequential reference; the report carries the speedup.")
  boolean compareSequential;

  @Option(
      names = "--format",
      paramLabel = "text|json",
      description = "Output format (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  Format format;

  @Option(
      names = "--keep-ledger",
      description = "Keep the job's ledger under data/runs/ after it completes.")
  boolean keepLedger;

  @Option(names = "--verbose", description = "Log at INFO and show stack traces.")
  boolean verbose;

  // Not picocli's standard help option: after a pipeline's name, --help asks for the pipeline's
  // options, which picocli's own handling (run's help, whatever follows) would hide.
  @Option(
      names = {"-h", "--help"},
      description = "Show this help, or after a pipeline's name, the pipeline's options.")
  boolean help;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description = "Serve GET /metrics (Prometheus text format) on 127.0.0.1:PORT during the run.")
  Integer metricsPort;

  @Override
  public Integer call() throws Exception {
    Troupe.verbose = verbose;
    Logging.configure(verbose);
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (pipeline == null) {
      if (help) {
        spec.commandLine().usage(out);
        return ExitCode.COMPLETED;
      }
      throw new UsageException(
          "run: name a pipeline (troupe list shows them), e.g. troupe run wordcount");
    }
    if (help || pipelineArgs.contains("--help") || pipelineArgs.contains("-h")) {
      Pipeline<?, ?, ?> p = Pipelines.load().get(pipeline);
      out.println("Options of " + p.name() + " (" + p.description() + "):");
      out.println(p.usage());
      out.flush();
      return ExitCode.COMPLETED;
    }
    if (workers != null && workers < 1) {
      throw new UsageException("--workers must be at least 1, was " + workers);
    }
    if (metricsPort != null && (metricsPort < 1 || metricsPort > 65535)) {
      throw new UsageException("--metrics-port must be a port from 1 to 65535, was " + metricsPort);
    }
    if (sequential && metricsPort != null) {
      throw new UsageException("--metrics-port needs a job run; --sequential runs no actors");
    }
    if (sequential && (compareSequential || resume != null)) {
      throw new UsageException(
          "--sequential cannot be combined with --compare-sequential or --resume");
    }
    if (resume != null && !io.troupe.cluster.internal.JobIds.isValid(resume)) {
      throw new UsageException(
          "--resume: not a job id: '"
              + resume
              + "' (letters, digits, '.', '_' and '-', at most 128)");
    }
    // The local user's defaults (the current directory as input and output root, loopback
    // addresses allowed) sit below the user's config, so that its troupe.pipelines keys win.
    Config application = loadConfig().withFallback(PipelineSettings.LOCAL);
    JobSettings settings =
        JobSettings.create(application.withFallback(ConfigFactory.defaultReference()).resolve());
    ParsedPipeline parsed = settings.parse(Pipelines.load().get(pipeline), pipelineArgs);
    if (resume == null) {
      // Missing inputs are usage errors: find them before a cluster boots for nothing.
      parsed.prepare();
    }
    Output output = new Output(format == Format.json, out);
    if (sequential) {
      return runSequential(parsed, output);
    }
    boolean compare = compareSequential;
    if (compare && !parsed.hasSequential()) {
      err.println(
          "troupe: "
              + parsed.name()
              + " has no sequential reference; the job runs without a comparison");
      err.flush();
      compare = false;
    }
    settings.checkPlanSize(parsed);
    Reference reference = compare ? Reference.run(parsed, err) : null;
    EmbeddedRun run =
        new EmbeddedRun(
            parsed, application, workers, resume, keepLedger, err, progressOnTty(), metricsPort);
    JobStatus status = run.execute();
    ObjectNode report =
        status.report() == null
            ? JsonNodeFactory.instance.objectNode()
            : (ObjectNode) status.report().deepCopy();
    String state = status.state();
    JsonNode result = status.result();
    if (status.error() != null) {
      result = JsonNodeFactory.instance.objectNode().put("error", status.error());
    }
    if (compareSequential && reference == null) {
      report.putNull("sequentialMs");
    }
    if (reference != null && status.isFinal() && !JobStatus.FAILED.equals(state)) {
      String mismatch = reference.compare(result, report);
      if (mismatch != null) {
        state = JobStatus.FAILED;
        report.put("error", mismatch);
      }
    }
    output.print(status.job(), parsed.pipeline().name(), state, result, report);
    return ExitCode.forStatus(state);
  }

  private boolean progressOnTty() {
    return format == Format.text && Boolean.getBoolean("troupe.tty");
  }

  private int runSequential(ParsedPipeline parsed, Output output) throws Exception {
    long start = System.nanoTime();
    JsonNode result =
        (parsed.hasSequential() ? parsed.sequential() : java.util.Optional.<JsonNode>empty())
            .orElseThrow(
                () ->
                    new UsageException(
                        parsed.name()
                            + " has no sequential reference; run it without --sequential"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    ObjectNode report = JsonNodeFactory.instance.objectNode();
    report.put("wallMs", ms);
    report.put("sequential", true);
    output.print("sequential", parsed.pipeline().name(), "completed", result, report);
    return ExitCode.COMPLETED;
  }

  /**
   * The sequential reference, run before the job: it reads the same input first (so neither run
   * pays for a cold page cache or for generating a default input the other gets for free) and it
   * warms the compute kernel both share. Each runs once; bench/ measures rigorously.
   */
  private record Reference(JsonNode result, double millis) {

    static Reference run(ParsedPipeline parsed, PrintWriter err) throws Exception {
      parsed.prepare();
      err.println("troupe: running the sequential reference first, for comparison...");
      err.flush();
      long start = System.nanoTime();
      java.util.Optional<JsonNode> result = parsed.sequential();
      double millis = (System.nanoTime() - start) / 1e6;
      if (result.isEmpty()) {
        err.println("troupe: " + parsed.name() + " returned no sequential result; no comparison");
        err.flush();
        return null;
      }
      return new Reference(result.get(), millis);
    }

    /** Adds the speedup figures to the report and returns a mismatch, if any. */
    String compare(JsonNode jobResult, ObjectNode report) throws Exception {
      double wallMs = report.path("wallMs").asDouble(0);
      int workers = Math.max(1, report.path("workers").asInt(1));
      report.put("sequentialMs", Math.round(millis));
      if (wallMs > 0) {
        double speedup = millis / wallMs;
        report.put("speedup", Output.round(speedup, 2));
        report.put("efficiency", Output.round(speedup / workers, 2));
        if (workers > 1) {
          // Karp-Flatt: the serial fraction that would explain the measured speedup.
          double serial = (1 / speedup - 1.0 / workers) / (1 - 1.0 / workers);
          report.put("serialFraction", Output.round(serial, 3));
        } else {
          report.putNull("serialFraction");
        }
      }
      boolean same = canonical(result).equals(canonical(jobResult));
      report.put("matchesSequential", same);
      return same ? null : "the result differs from the sequential reference: " + result;
    }
  }

  private static final ObjectMapper CANONICAL = new ObjectMapper();

  /** JSON text with numbers normalised, so 5 (int) and 5 (long) compare equal. */
  static String canonical(JsonNode node) throws Exception {
    return CANONICAL.writeValueAsString(CANONICAL.treeToValue(node, Object.class));
  }

  private Config loadConfig() {
    Path file = config;
    if (file == null) {
      String home = System.getProperty("troupe.home");
      Path shipped = home == null ? null : Path.of(home, "config", "application.conf");
      if (shipped != null && Files.isRegularFile(shipped)) {
        file = shipped;
      }
    } else if (!Files.isRegularFile(file)) {
      throw new UsageException("--config: no such file: " + file);
    }
    Config application =
        file == null ? ConfigFactory.empty() : ConfigFactory.parseFile(file.toFile()).resolve();
    if (workers != null) {
      application =
          ConfigFactory.parseMap(Map.of("troupe.jobs.workers-per-node", workers))
              .withFallback(application);
    }
    return application;
  }
}
