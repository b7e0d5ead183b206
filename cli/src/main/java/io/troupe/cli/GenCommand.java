package io.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code troupe gen}: deterministic inputs for the example pipelines. The generators belong to the
 * examples plug-in, which the distribution ships; they are reached through {@link
 * ExampleGenerators}, so the CLI does not depend on the examples at build time.
 */
@Command(
    name = "gen",
    mixinStandardHelpOptions = true,
    description = "Generate deterministic inputs for the example pipelines.",
    subcommands = {GenCommand.Text.class, GenCommand.Site.class})
final class GenCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "say what to generate: text or site");
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
        bytes = ExampleGenerators.parseSize(size);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--size: " + e.getMessage());
      }
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new UsageException("--out: no such directory: " + parent);
      }
      long start = System.nanoTime();
      ExampleGenerators.corpus(out, bytes, seed);
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

  /** {@code troupe gen site}: a static web site for crawl. */
  @Command(
      name = "site",
      mixinStandardHelpOptions = true,
      description =
          "Write a deterministic static HTML site with a known link graph (broken links, cycles,"
              + " deep pages, orphans) and the figures a crawl of it must report"
              + " (crawl-expected.json).")
  static final class Site implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = "--pages",
        required = true,
        paramLabel = "N",
        description = "HTML pages to write (1 to 1000000).")
    int pages;

    @Option(
        names = "--seed",
        paramLabel = "S",
        defaultValue = "42",
        description =
            "Seed; the same seed and pages give the same site (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (pages < 1 || pages > 1_000_000) {
        throw new UsageException("--pages must be between 1 and 1000000, was " + pages);
      }
      if (Files.exists(out) && !Files.isDirectory(out)) {
        throw new UsageException("--out: not a directory: " + out);
      }
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new UsageException("--out: no such directory: " + parent);
      }
      long start = System.nanoTime();
      JsonNode expected = ExampleGenerators.site(pages, seed, out);
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          String.format(
              Locale.ROOT,
              "troupe: wrote %,d pages to %s in %.2f s; a crawl from / reaches %,d pages, %,d"
                  + " links, %,d broken, max depth %d (see crawl-expected.json)",
              pages,
              out,
              (System.nanoTime() - start) / 1e9,
              expected.path("pages").asInt(),
              expected.path("links").asLong(),
              expected.path("broken").asInt(),
              expected.path("maxDepth").asInt()));
      err.flush();
      return ExitCode.COMPLETED;
    }
  }
}
