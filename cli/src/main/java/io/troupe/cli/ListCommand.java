package io.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.sdk.Pipeline;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code troupe list}: the pipelines on this classpath (name, TAB, description), or with {@code
 * --node URL} those of a cluster, with the nodes that lack each.
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List the pipelines this command can run: one per line, name<TAB>description.",
      "With --node, the pipelines of a cluster: name<TAB>description<TAB>which nodes have it."
    })
final class ListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--node",
      paramLabel = "URL",
      description = "A node of a cluster, e.g. http://127.0.0.1:8551: list what the cluster runs.")
  String node;

  @Option(
      names = "--format",
      paramLabel = "text|json",
      defaultValue = "text",
      description = "Output format (default: ${DEFAULT-VALUE}).")
  RunCommand.Format format;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The config in use: bin/troupe adds the jars in the plugins/ directory beside it.")
  java.nio.file.Path config;

  @Mixin TokenOptions tokens = new TokenOptions();

  @Override
  public Integer call() {
    Logging.configure(false);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (config != null && !java.nio.file.Files.isRegularFile(config)) {
      throw new UsageException("--config: no such file: " + config);
    }
    if (node != null) {
      return listCluster(out);
    }
    Pipelines pipelines = Pipelines.load();
    for (String problem : pipelines.problems()) {
      err.println("troupe: plug-in left out: " + problem);
    }
    if (format == RunCommand.Format.json) {
      var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
      var list = json.putArray("pipelines");
      for (Pipeline<?, ?, ?> p : pipelines.all()) {
        list.addObject()
            .put("name", p.name())
            .put("description", p.description())
            .put("source", Pipelines.source(p));
      }
      out.println(json);
    } else {
      for (Pipeline<?, ?, ?> p : pipelines.all()) {
        out.println(p.name() + "\t" + p.description());
      }
      if (pipelines.all().isEmpty()) {
        err.println(
            "troupe: no pipelines on the classpath; add plug-in jars with --classpath JAR,"
                + " TROUPE_CLASSPATH or a plugins/ directory");
      }
    }
    out.flush();
    err.flush();
    return ExitCode.COMPLETED;
  }

  private int listCluster(PrintWriter out) {
    NodeClient.Answer answer =
        NodeClient.of(node, tokens.resolve(node, spec.commandLine().getErr()))
            .get("/api/pipelines");
    if (answer.status() != 200) {
      throw new UsageException("the node answered " + answer.status() + ": " + answer.error());
    }
    JsonNode body = answer.body();
    if (format == RunCommand.Format.json) {
      out.println(body);
      out.flush();
      return ExitCode.COMPLETED;
    }
    int nodes = body.path("nodes").size();
    for (JsonNode p : body.path("pipelines")) {
      List<String> missing = new ArrayList<>();
      p.path("missingOn").forEach(n -> missing.add(n.asText()));
      String where =
          missing.isEmpty()
              ? "on all " + nodes + " node(s)"
              : "on "
                  + p.path("nodes").size()
                  + " of "
                  + nodes
                  + " node(s); missing on "
                  + String.join(", ", missing);
      String description =
          p.path("description").isTextual()
              ? p.path("description").asText()
              : "(not on " + body.path("self").asText() + ")";
      out.println(p.path("name").asText() + "\t" + description + "\t" + where);
    }
    for (JsonNode n : body.path("nodes")) {
      if (n.path("pipelines").isEmpty()) {
        out.println("# " + n.path("address").asText() + " has no pipelines");
      }
    }
    out.flush();
    return ExitCode.COMPLETED;
  }
}
