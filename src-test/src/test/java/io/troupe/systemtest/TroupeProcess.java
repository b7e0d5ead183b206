package io.troupe.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code troupe} jar as a separate process, with this module's test classes (and
 * their test-only pipelines) on the classpath, in a working directory of the test's choosing.
 */
final class TroupeProcess {

  /** What a finished process left behind. */
  record Result(int exitCode, String stdout, String stderr) {

    /** Parses stdout as the single JSON object of {@code --format json}. */
    JsonNode json() throws IOException {
      return new ObjectMapper().readTree(stdout);
    }
  }

  static final Path JAR =
      Path.of(System.getProperty("troupe.jar", "../examples/target/troupe.jar"));
  static final Path ROOT = Path.of(System.getProperty("troupe.root", ".."));
  static final Path TEST_CLASSES =
      Path.of(System.getProperty("troupe.testClasses", "target/test-classes"));

  private TroupeProcess() {}

  /** Starts {@code troupe args...} in {@code dir} without waiting. */
  static Process start(Path dir, List<String> jvmOptions, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:+UseParallelGC");
    command.add("-Dtroupe.home=" + ROOT.toAbsolutePath().normalize());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(JAR.toAbsolutePath() + java.io.File.pathSeparator + TEST_CLASSES.toAbsolutePath());
    command.add("io.troupe.examples.cli.Troupe");
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .redirectError(dir.resolve("stderr.txt").toFile())
        .start();
  }

  /** Runs {@code troupe args...} in {@code dir} and waits for it (at most five minutes). */
  static Result run(Path dir, String... args) throws Exception {
    Process p = start(dir, List.of(), args);
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
