package io.troupe.sdk;

import java.util.List;
import java.util.Objects;
import picocli.CommandLine;

/**
 * Parses a pipeline's options with picocli: the pipeline declares them as fields of a small class
 * annotated with picocli's {@code @Option}, returns a fresh instance from {@link
 * Pipeline#newOptions()}, and checks them in {@link Pipeline#validate}. Errors become one-line
 * {@link PipelineUsageException}s that start with the pipeline's name.
 *
 * <pre>{@code
 * public static final class Options {
 *   @Option(names = "--n", paramLabel = "N", description = "How many numbers (default 1000).")
 *   long n = 1000;
 * }
 *
 * public Options newOptions() { return new Options(); }
 *
 * public void validate(Options o) {
 *   PipelineOptions.require(o.n >= 0, "--n must not be negative, was " + o.n);
 * }
 * }</pre>
 */
public final class PipelineOptions {

  private PipelineOptions() {}

  /**
   * Parses arguments into the pipeline's fresh options and validates them; what {@link
   * Pipeline#parse} does unless a pipeline overrides it.
   *
   * @param pipeline the pipeline
   * @param args the arguments after the pipeline's name
   * @param <O> the options type
   * @return the parsed, validated options
   * @throws PipelineUsageException if an option is unknown, malformed or invalid
   */
  public static <O> O parse(Pipeline<O, ?, ?> pipeline, List<String> args) {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(args, "args");
    String name = pipeline.name();
    O options = Objects.requireNonNull(pipeline.newOptions(), name + ": newOptions() is null");
    if (options instanceof NoOptions) {
      if (!args.isEmpty()) {
        throw new PipelineUsageException(name + ": takes no options, but was given " + args);
      }
    } else {
      try {
        commandLine(pipeline, options).parseArgs(args.toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        throw new PipelineUsageException(
            name + ": " + e.getMessage() + " (see troupe run " + name + " --help)");
      }
    }
    try {
      pipeline.validate(options);
    } catch (PipelineUsageException e) {
      String message = String.valueOf(e.getMessage());
      throw message.startsWith(name + ": ")
          ? e
          : new PipelineUsageException(name + ": " + message, e);
    }
    return options;
  }

  /**
   * Returns the help text of the pipeline's options, one option per line: names, value label, a tab
   * and the description.
   *
   * @param pipeline the pipeline
   * @return the help text
   */
  public static String usage(Pipeline<?, ?, ?> pipeline) {
    Object options = pipeline.newOptions();
    if (options instanceof NoOptions) {
      return "  (no options)\n";
    }
    StringBuilder text = new StringBuilder();
    for (CommandLine.Model.OptionSpec option :
        commandLine(pipeline, options).getCommandSpec().options()) {
      String names = String.join(", ", option.names());
      String label =
          option.paramLabel() == null || option.arity().max() == 0 ? "" : " " + option.paramLabel();
      text.append("  ")
          .append(names)
          .append(label)
          .append('\t')
          .append(String.join(" ", option.description()))
          .append('\n');
    }
    return text.toString();
  }

  /**
   * Fails with a usage error unless a condition holds; for {@link Pipeline#validate}.
   *
   * @param condition what must hold
   * @param message what is wrong and what is allowed, e.g. {@code "--n must not be negative, was
   *     -1"}
   * @throws PipelineUsageException if the condition does not hold
   */
  public static void require(boolean condition, String message) {
    if (!condition) {
      throw new PipelineUsageException(message);
    }
  }

  private static CommandLine commandLine(Pipeline<?, ?, ?> pipeline, Object options) {
    try {
      return new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true);
    } catch (CommandLine.InitializationException e) {
      throw new IllegalStateException(
          "pipeline "
              + pipeline.name()
              + ": its options class "
              + options.getClass().getName()
              + " cannot be parsed (annotate its fields with picocli's @Option, or return"
              + " NoOptions.INSTANCE from newOptions()): "
              + e.getMessage(),
          e);
    }
  }
}
