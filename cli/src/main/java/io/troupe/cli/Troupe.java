package io.troupe.cli;

import io.troupe.persistence.PersistenceStartupException;
import io.troupe.sdk.PipelineUsageException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code troupe} command: runs example pipelines on an embedded cluster, generates inputs, and
 * lists what is available.
 */
@Command(
    name = "troupe",
    mixinStandardHelpOptions = true,
    versionProvider = Troupe.Version.class,
    description = "An actor runtime for parallel concurrent processing on Apache Pekko.",
    footer = {
      "",
      "Every command takes --classpath PATH (-cp): plug-in jars with pipelines, separated by ':'.",
      "bin/troupe puts them on the JVM's classpath, with $TROUPE_CLASSPATH, the jars in plugins/",
      "beside the config in use and under the Troupe home, and the examples plug-in."
    },
    subcommands = {
      ListCommand.class,
      RunCommand.class,
      GenCommand.class,
      NodeCommand.class,
      ClusterCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      CancelCommand.class
    })
public final class Troupe implements Runnable {

  /** Whether stack traces are shown; set by {@code --verbose}. */
  static volatile boolean verbose;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this),
        "a command is required: list, run, gen, node, cluster, submit or status");
  }

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    // Checked before anything logs: logback reads the variable when it first configures itself.
    String logFormat = System.getenv(Logging.FORMAT_VARIABLE);
    if (logFormat != null && !Logging.FORMATS.contains(logFormat)) {
      System.err.println(
          "troupe: "
              + Logging.FORMAT_VARIABLE
              + " must be one of "
              + String.join(", ", Logging.FORMATS)
              + ", not '"
              + logFormat
              + "'");
      System.exit(ExitCode.USAGE);
    }
    System.exit(execute(args));
  }

  /**
   * Runs the command line and returns its exit code (for tests and embedding).
   *
   * @param args the arguments
   * @return the exit code
   */
  public static int execute(String... args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      if (arg.equals("--classpath") || arg.equals("-cp") || arg.startsWith("--classpath=")) {
        // The JVM's classpath is fixed when it starts: only the launcher script can add to it.
        System.err.println(
            "troupe: "
                + arg
                + " is applied by bin/troupe, which puts the jars on the JVM's classpath; when"
                + " starting java yourself, add them to its -cp instead");
        return ExitCode.USAGE;
      }
    }
    CommandLine cli = new CommandLine(new Troupe());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // Options troupe run does not know belong to the pipeline, which parses and checks them.
    cli.getSubcommands().get("run").setUnmatchedOptionsArePositionalParams(true);
    cli.getSubcommands().get("submit").setUnmatchedOptionsArePositionalParams(true);
    cli.setParameterExceptionHandler(
        (e, arguments) -> {
          CommandLine cmd = e.getCommandLine();
          PrintWriter err = cmd.getErr();
          err.println(
              cmd.getCommandSpec().qualifiedName()
                  + ": "
                  + e.getMessage()
                  + " (see "
                  + cmd.getCommandSpec().qualifiedName()
                  + " --help)");
          err.flush();
          return ExitCode.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          PrintWriter err = cmd.getErr();
          int code;
          if (e instanceof UsageException
              || e instanceof PipelineUsageException
              || e instanceof PersistenceStartupException
              || e instanceof com.typesafe.config.ConfigException) {
            err.println("troupe: " + e.getMessage());
            code = ExitCode.USAGE;
          } else {
            err.println(
                "troupe: internal error: "
                    + e
                    + (verbose ? "" : " (run again with --verbose for details)"));
            code = ExitCode.INTERNAL;
          }
          if (verbose) {
            e.printStackTrace(err);
          }
          err.flush();
          return code;
        });
    return cli.execute(args);
  }

  /** Reports the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Troupe.class.getPackage().getImplementationVersion();
      return new String[] {"troupe " + (v == null ? "(development build)" : v)};
    }
  }
}
