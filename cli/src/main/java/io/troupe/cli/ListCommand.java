package io.troupe.cli;

import io.troupe.cluster.Pipeline;
import io.troupe.cluster.Pipelines;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code troupe list}: the pipelines on the classpath, one per line as name, TAB, description. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the pipelines.")
final class ListCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Pipeline<?> p : Pipelines.load().all()) {
      out.println(p.name() + "\t" + p.description());
    }
    out.flush();
    return ExitCode.COMPLETED;
  }
}
