package io.troupe.examples.cli;

import io.troupe.examples.wordcount.CorpusGenerator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code troupe gen}: deterministic inputs for the example pipelines. */
@Command(
    name = "gen",
    mixinStandardHelpOptions = true,
    description = "Generate deterministic inputs for the example pipelines.",
    subcommands = {GenCommand.Text.class})
final class GenCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "say what to generate: text");
  }

  /** {@code troupe gen text}: a text corpus for wordcount. */
  @Command(
      name = "text",
      mixinStandardHelpOptions = true,
      description = "Write a deterministic UTF-8 text corpus (Zipf-distributed words).")
  static final class Text implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = "--size",
        required = true,
        paramLabel = "SIZE",
        description = "Exact size, e.g. 64MB, 512KB, 1GB (units of 1024).")
    String size;

    @Option(
        names = "--seed",
        paramLabel = "S",
        defaultValue = "42",
        description =
            "Seed; the same seed and size give the same bytes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file.")
    Path out;

    @Override
    public Integer call() throws Exception {
      long bytes;
      try {
        bytes = CorpusGenerator.parseSize(size);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--size: " + e.getMessage());
      }
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new UsageException("--out: no such directory: " + parent);
      }
      long start = System.nanoTime();
      CorpusGenerator.generate(out, bytes, seed);
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          String.format(
              Locale.ROOT,
              "troupe: wrote %,d bytes to %s in %.2f s",
              bytes,
              out,
              (System.nanoTime() - start) / 1e9));
      err.flush();
      return ExitCode.COMPLETED;
    }
  }
}
