package io.troupe.examples;

import io.troupe.cluster.PipelineUsageException;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Parses an example pipeline's options with picocli: the pipeline declares them as {@code @Option}
 * fields of a small class, and errors become one-line {@link PipelineUsageException}s.
 */
public final class PipelineOptions {

  private PipelineOptions() {}

  /**
   * Parses arguments into a fresh options object.
   *
   * @param pipeline the pipeline's name, for messages
   * @param fresh creates the options object with its defaults
   * @param args the arguments
   * @param <T> the options class, annotated with picocli {@code @Option}s
   * @return the populated options object
   * @throws PipelineUsageException if an option is unknown or malformed
   */
  public static <T> T parse(String pipeline, Supplier<T> fresh, List<String> args) {
    T options = fresh.get();
    CommandLine cli = new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true);
    try {
      cli.parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new PipelineUsageException(
          pipeline + ": " + e.getMessage() + " (see troupe run " + pipeline + " --help)");
    }
    return options;
  }

  /**
   * Returns the options' help text.
   *
   * @param fresh creates an options object
   * @return one line per option
   */
  public static String usage(Supplier<?> fresh) {
    CommandLine cli = new CommandLine(fresh.get());
    StringBuilder text = new StringBuilder();
    for (CommandLine.Model.OptionSpec option : cli.getCommandSpec().options()) {
      String names = String.join(", ", option.names());
      String label =
          option.paramLabel() == null || option.arity().max() == 0 ? "" : " " + option.paramLabel();
      text.append("  ")
          .append(names)
          .append(label)
          .append("\t")
          .append(String.join(" ", option.description()))
          .append('\n');
    }
    return text.toString();
  }

  /**
   * Fails with a usage error unless a condition holds.
   *
   * @param condition what must hold
   * @param pipeline the pipeline's name
   * @param message what is wrong and what is allowed
   */
  public static void require(boolean condition, String pipeline, String message) {
    if (!condition) {
      throw new PipelineUsageException(pipeline + ": " + message);
    }
  }
}
