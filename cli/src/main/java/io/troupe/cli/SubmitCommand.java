package io.troupe.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.cluster.JobStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code troupe submit <pipeline> [options] --node URL [--wait] [--priority N]}: runs a job on a
 * cluster.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Submit a job to a running cluster through one of its nodes.")
final class SubmitCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<pipeline>", description = "The pipeline to run.")
  String pipeline;

  @Parameters(
      index = "1..*",
      paramLabel = "<options>",
      arity = "0..*",
      description = "Its options.")
  List<String> pipelineArgs = new ArrayList<>();

  @Option(
      names = "--node",
      required = true,
      paramLabel = "URL",
      description = "A node, e.g. http://127.0.0.1:8551.")
  String node;

  @Option(
      names = "--wait",
      description =
          "Wait for the job to finish and print its result; exit 0 if it completed, 1 if it"
              + " completed with failures, failed or was canceled.")
  boolean await;

  @Option(
      names = "--priority",
      paramLabel = "N",
      description =
          "The job's share of the cluster's workers while jobs compete for them, relative to the"
              + " others' (1 to 1000; default 1): a job of priority 3 gets three times the items of"
              + " one of priority 1.")
  Integer priority;

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
    // The node checks the pipeline and its options: it may have plug-ins this CLI lacks, and its
    // 400 says what is wrong in one line.
    NodeClient client = NodeClient.of(node, tokens.resolve(node, spec.commandLine().getErr()));
    ObjectNode request = JsonNodeFactory.instance.objectNode().put("pipeline", pipeline);
    pipelineArgs.forEach(request.putArray("args")::add);
    if (priority != null) {
      request.put("priority", priority);
    }
    NodeClient.Answer answer = client.post("/api/jobs", request);
    if (answer.status() != 202) {
      throw new UsageException("the node refused the job: " + answer.error());
    }
    String job = answer.body().path("job").asText();
    if (!await) {
      if (format == RunCommand.Format.json) {
        out.println(answer.body());
      } else {
        out.println(job);
        err.println(
            "troupe: submitted job "
                + job
                + "; follow it with: troupe status "
                + job
                + " --node "
                + node);
      }
      out.flush();
      err.flush();
      return ExitCode.COMPLETED;
    }
    err.println("troupe: job " + job + " submitted to " + client.base());
    err.flush();
    JobStatus last =
        StatusCommand.follow(
            client, job, format == RunCommand.Format.text && Boolean.getBoolean("troupe.tty"), err);
    StatusCommand.print(last, format == RunCommand.Format.json, out);
    return ExitCode.forStatus(last.state());
  }
}
