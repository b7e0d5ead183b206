package io.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.internal.JobStatusJson;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code troupe status [JOB] --node URL}: a job's status, or the cluster's recent jobs. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show a job's status, progress, result and report, or list the recent jobs.")
final class StatusCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
          .withZone(ZoneId.systemDefault());

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "JOB",
      description = "The job (default: list all).")
  String job;

  @Option(
      names = "--node",
      required = true,
      paramLabel = "URL",
      description = "A node, e.g. http://127.0.0.1:8551.")
  String node;

  @Option(
      names = "--format",
      paramLabel = "text|json",
      defaultValue = "text",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  RunCommand.Format format;

  @Mixin TokenOptions tokens = new TokenOptions();

  @Override
  public Integer call() throws Exception {
    Logging.configure(false);
    PrintWriter out = spec.commandLine().getOut();
    NodeClient client = NodeClient.of(node, tokens.resolve(node, spec.commandLine().getErr()));
    boolean json = format == RunCommand.Format.json;
    if (job == null) {
      NodeClient.Answer answer = client.get("/api/jobs");
      if (answer.status() != 200) {
        throw new UsageException("the node could not list jobs: " + answer.error());
      }
      if (json) {
        out.println(answer.body());
      } else {
        list(answer.body().path("jobs"), out);
      }
      out.flush();
      return ExitCode.COMPLETED;
    }
    JobStatus status = fetch(client, job);
    print(status, json, out);
    return status.isFinal() ? ExitCode.forStatus(status.state()) : ExitCode.COMPLETED;
  }

  static JobStatus fetch(NodeClient client, String job) {
    NodeClient.Answer answer = client.get("/api/jobs/" + job);
    if (answer.status() == 404) {
      throw new UsageException("no job " + job + " in this cluster");
    }
    if (answer.status() != 200) {
      throw new UsageException("the node could not tell the job's status: " + answer.error());
    }
    return JobStatusJson.parse(answer.body());
  }

  /** How long a job may be unknown right after its submission before that is an error. */
  static final Duration NOT_LISTED_YET = Duration.ofSeconds(30);

  /**
   * Polls until the job is over, drawing a progress bar on a terminal. A 503 (the job's coordinator
   * is moving to another node, say after its node died) is waited out: the job goes on, and so does
   * the polling.
   */
  static JobStatus follow(NodeClient client, String job, boolean progress, PrintWriter err)
      throws InterruptedException {
    ProgressBar bar = progress ? new ProgressBar(err) : null;
    long unknownSince = System.nanoTime();
    while (true) {
      NodeClient.Answer answer = client.get("/api/jobs/" + job);
      if (answer.status() == 503) {
        Thread.sleep(500);
        continue;
      }
      if (answer.status() == 404) {
        // Right after submission the job may not be known yet; keep polling for a while.
        if (System.nanoTime() - unknownSince > NOT_LISTED_YET.toNanos()) {
          throw new UsageException("no job " + job + " in this cluster");
        }
        Thread.sleep(300);
        continue;
      }
      if (answer.status() != 200) {
        throw new UsageException("the node could not tell the job's status: " + answer.error());
      }
      JobStatus status = JobStatusJson.parse(answer.body());
      if (status.isFinal()) {
        if (bar != null) {
          bar.clear();
        }
        return status;
      }
      if (bar != null) {
        bar.update(status);
      }
      Thread.sleep(500);
    }
  }

  static void print(JobStatus status, boolean json, PrintWriter out) throws Exception {
    Output output = new Output(json, out);
    if (status.isFinal()) {
      JsonNode result = status.result();
      if (status.error() != null) {
        result = JsonNodeFactory.instance.objectNode().put("error", status.error());
      }
      output.print(status.job(), status.pipeline(), status.state(), result, status.report());
      if (!json && JobStatus.CANCELED.equals(status.state())) {
        out.println(
            String.format(
                Locale.ROOT,
                "canceled with %d of %d items done; a canceled job is never resumed",
                status.completed(),
                status.items()));
        out.flush();
      }
      return;
    }
    if (json) {
      out.println(JobStatusJson.of(status));
    } else {
      out.println(
          String.format(
              Locale.ROOT,
              "%s: %s (job %s) · %d of %d items done · %d in flight · %d quarantined · %d failed"
                  + " attempts",
              status.pipeline(),
              status.state(),
              status.job(),
              status.completed(),
              status.items(),
              status.inFlight(),
              status.quarantined(),
              status.failedAttempts()));
      if (status.unavailable() != null) {
        Output.unavailable(status.unavailable(), out);
      }
    }
    out.flush();
  }

  private static void list(JsonNode jobs, PrintWriter out) {
    if (jobs.isEmpty()) {
      out.println("no jobs yet");
      return;
    }
    out.println(
        String.format(
            Locale.ROOT,
            "%-44s %-12s %-24s %15s  %s",
            "job",
            "pipeline",
            "status",
            "completed",
            "submitted"));
    for (JsonNode j : jobs) {
      out.println(
          String.format(
              Locale.ROOT,
              "%-44s %-12s %-24s %7d/%-7d  %s",
              j.path("job").asText(),
              j.path("pipeline").asText(),
              j.path("state").asText(),
              j.path("completed").asLong(),
              j.path("items").asLong(),
              TIME.format(Instant.ofEpochMilli(j.path("submittedAt").asLong()))));
    }
  }
}
