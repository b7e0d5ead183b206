package io.troupe.cli;

import io.troupe.cluster.JobStatus;
import io.troupe.cluster.internal.JobIds;
import io.troupe.cluster.internal.JobStatusJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code troupe cancel JOB --node URL}: cancels a job on a cluster. Exit 0 once the job is canceled
 * (now or before), 1 if it was over already (completed or failed; the message says which), 2 if
 * there is no such job or the node could not cancel it.
 */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = {
      "Cancel a job on a cluster: no item is handed out any more, items in flight are abandoned,"
          + " and the job ends canceled, for good (it is never resumed).",
      "Exit 0 once it is canceled, 1 if it was over already, 2 if there is no such job."
    })
final class CancelCommand implements Callable<Integer> {

  /** How long a cancel is sent again while the node answers 503. */
  static final java.time.Duration PATIENCE = java.time.Duration.ofMinutes(1);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "JOB", description = "The job.")
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
    PrintWriter err = spec.commandLine().getErr();
    if (!JobIds.isValid(job)) {
      throw new UsageException("no job " + job + " in this cluster (not a job id)");
    }
    NodeClient client = NodeClient.of(node, tokens.resolve(node, err));
    // A 503 means the job's coordinator did not confirm in time (it is moving to another node, or
    // the job is still being planned): the cancel is sent again, as `status` waits such answers
    // out.
    NodeClient.Answer answer = client.delete("/api/jobs/" + job);
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (answer.status() == 503 && System.nanoTime() < deadline) {
      Thread.sleep(500);
      answer = client.delete("/api/jobs/" + job);
    }
    switch (answer.status()) {
      case 200 -> {
        JobStatus status = JobStatusJson.parse(answer.body());
        StatusCommand.print(status, format == RunCommand.Format.json, out);
        return ExitCode.COMPLETED;
      }
      case 404 -> throw new UsageException("no job " + job + " in this cluster");
      case 409 -> {
        JobStatus status = StatusCommand.fetch(client, job);
        err.println("troupe: " + answer.error());
        err.flush();
        StatusCommand.print(status, format == RunCommand.Format.json, out);
        return ExitCode.FAILED;
      }
      case 500 ->
          throw new UsageException(
              answer.error() + " (the job failed instead and stays resumable)");
      default -> throw new UsageException("the node could not cancel the job: " + answer.error());
    }
  }
}
