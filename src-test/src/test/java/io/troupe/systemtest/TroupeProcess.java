package io.troupe.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code troupe} launcher jar as a separate process, with the examples plug-in and
 * this module's test classes (and their test-only pipelines) on the classpath, as {@code bin/troupe
 * --classpath} would, in a working directory of the test's choosing.
 */
final class TroupeProcess {

  /** What a finished process left behind. */
  record Result(int exitCode, String stdout, String stderr) {

    /** Parses stdout as the single JSON object of {@code --format json}. */
    JsonNode json() throws IOException {
      return new ObjectMapper().readTree(stdout);
    }
  }

  static final Path JAR = Path.of(System.getProperty("troupe.jar", "../cli/target/troupe.jar"));
  static final Path EXAMPLES_JAR =
      Path.of(
          System.getProperty(
              "troupe.examplesJar", "../examples/target/troupe-examples-plugin.jar"));
  static final Path ROOT = Path.of(System.getProperty("troupe.root", ".."));
  static final Path TEST_CLASSES =
      Path.of(System.getProperty("troupe.testClasses", "target/test-classes"));

  private TroupeProcess() {}

  /** Starts {@code troupe args...} in {@code dir} without waiting. */
  static Process start(Path dir, List<String> jvmOptions, String... args) throws IOException {
    return start(
        dir, jvmOptions, Map.of(), dir.resolve("stdout.txt"), dir.resolve("stderr.txt"), args);
  }

  /**
   * Starts {@code troupe args...} in {@code dir} without waiting, with extra environment variables
   * and its output appended to the given files (the same file for both is fine).
   */
  static Process start(
      Path dir,
      List<String> jvmOptions,
      Map<String, String> env,
      Path stdout,
      Path stderr,
      String... args)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command(jvmOptions, args)).directory(dir.toFile());
    builder.environment().putAll(env);
    if (stdout.equals(stderr)) {
      builder
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()));
    } else {
      builder
          .redirectOutput(ProcessBuilder.Redirect.to(stdout.toFile()))
          .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()));
    }
    return builder.start();
  }

  /**
   * Returns the command line of {@code troupe args...}: this JVM's java with the launcher, the
   * examples plug-in and the test classes on the classpath (for running it elsewhere, e.g. in a
   * {@link NetNamespace}).
   */
  static List<String> command(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:+UseParallelGC");
    command.add("-Dtroupe.home=" + ROOT.toAbsolutePath().normalize());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(
        String.join(
            java.io.File.pathSeparator,
            JAR.toAbsolutePath().toString(),
            EXAMPLES_JAR.toAbsolutePath().toString(),
            TEST_CLASSES.toAbsolutePath().toString()));
    command.add("io.troupe.cli.Troupe");
    command.addAll(List.of(args));
    return command;
  }

  /** Runs {@code troupe args...} in {@code dir} and waits for it (at most five minutes). */
  static Result run(Path dir, String... args) throws Exception {
    return run(dir, Map.of(), args);
  }

  /** Runs {@code troupe args...} in {@code dir} with extra environment variables and waits. */
  static Result run(Path dir, Map<String, String> env, String... args) throws Exception {
    Process p =
        start(dir, List.of(), env, dir.resolve("stdout.txt"), dir.resolve("stderr.txt"), args);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("troupe " + String.join(" ", args) + " did not finish in 5 min");
    }
    return new Result(
        p.exitValue(),
        Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8));
  }
}
