package io.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.internal.JobStatusJson;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code troupe status [JOB] --node URL [--state S] [--pipeline P] [--since T]}: a job's status, or
 * a page of the cluster's job registry.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show a job's status, progress, result and report, or list the cluster's jobs (newest first;"
          + " the registry keeps them across restarts).",
      "Exit 0 for a job that runs or completed, 1 for one that completed with failures, failed or"
          + " was canceled."
    })
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

  @Option(
      names = "--state",
      paramLabel = "S",
      split = ",",
      description =
          "List only jobs in these states: starting, running, completed, completed_with_failures,"
              + " failed, canceled (comma-separated or repeated).")
  List<String> states = new ArrayList<>();

  @Option(names = "--pipeline", paramLabel = "P", description = "List only this pipeline's jobs.")
  String pipeline;

  @Option(
      names = "--since",
      paramLabel = "T",
      description =
          "List only jobs submitted since T: a time (2026-12-03T10:00:00Z, 2026-12-03T10:00,"
              + " 2026-12-03) or a span back from now (30m, 2h, 7d).")
  String since;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "List at most N jobs (default: the node's page size, 50).")
  Integer limit;

  @Option(names = "--offset", paramLabel = "N", description = "Skip the N newest matching jobs.")
  Integer offset;

  @Mixin TokenOptions tokens = new TokenOptions();

  /** Returns the listing's query string, from the filter options given. */
  String listQuery() {
    StringBuilder query = new StringBuilder();
    java.util.function.BiConsumer<String, String> add =
        (name, value) ->
            query
                .append(query.length() == 0 ? '?' : '&')
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    if (!states.isEmpty()) {
      add.accept("state", String.join(",", states));
    }
    if (pipeline != null) {
      add.accept("pipeline", pipeline);
    }
    if (since != null) {
      add.accept("since", since);
    }
    if (limit != null) {
      add.accept("limit", limit.toString());
    }
    if (offset != null) {
      add.accept("offset", offset.toString());
    }
    return query.toString();
  }

  @Override
  public Integer call() throws Exception {
    Logging.configure(false);
    PrintWriter out = spec.commandLine().getOut();
    NodeClient client = NodeClient.of(node, tokens.resolve(node, spec.commandLine().getErr()));
    boolean json = format == RunCommand.Format.json;
    if (job == null) {
      NodeClient.Answer answer = client.get("/api/jobs" + listQuery());
      if (answer.status() == 400) {
        throw new UsageException(answer.error());
      }
      if (answer.status() != 200) {
        throw new UsageException("the node could not list jobs: " + answer.error());
      }
      if (json) {
        out.println(answer.body());
      } else {
        list(answer.body(), out);
      }
      out.flush();
      return ExitCode.COMPLETED;
    }
    if (!states.isEmpty() || pipeline != null || since != null || limit != null || offset != null) {
      throw new UsageException(
          "--state, --pipeline, --since, --limit and --offset filter the list of jobs; give them"
              + " without a JOB");
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

  private static void list(JsonNode page, PrintWriter out) {
    JsonNode jobs = page.path("jobs");
    if (jobs.isEmpty()) {
      out.println(page.path("total").asLong() == 0 ? "no jobs" : "no jobs on this page");
      return;
    }
    out.println(
        String.format(
            Locale.ROOT,
            "%-44s %-12s %-24s %3s %15s  %-19s  %s",
            "job",
            "pipeline",
            "status",
            "pri",
            "completed",
            "submitted",
            "by"));
    for (JsonNode j : jobs) {
      out.println(
          String.format(
              Locale.ROOT,
              "%-44s %-12s %-24s %3d %7d/%-7d  %s  %s",
              j.path("job").asText(),
              j.path("pipeline").asText(),
              j.path("state").asText(),
              j.path("priority").asInt(),
              j.path("completed").asLong(),
              j.path("items").asLong(),
              TIME.format(Instant.ofEpochMilli(j.path("submittedAt").asLong())),
              j.path("submittedBy").asText()));
    }
    long total = page.path("total").asLong();
    long from = page.path("offset").asLong();
    long to = from + jobs.size();
    if (from > 0 || to < total) {
      out.println(
          String.format(
              Locale.ROOT,
              "jobs %d to %d of %d%s",
              from + 1,
              to,
              total,
              to < total ? "; --offset " + to + " for the next page" : ""));
    }
  }
}
