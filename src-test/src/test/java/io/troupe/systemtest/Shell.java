package io.troupe.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command a user would type (bin/troupe, mvn) in a directory and captures its output. */
final class Shell {

  /** What a finished command left behind. */
  record Result(int exitCode, String stdout, String stderr) {

    /** Describes the run for an assertion message. */
    String describe() {
      return "exit " + exitCode + "\n--- stdout\n" + tail(stdout) + "\n--- stderr\n" + tail(stderr);
    }

    private static String tail(String s) {
      return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
    }
  }

  private Shell() {}

  /**
   * Runs a command and waits for it.
   *
   * @param dir the working directory
   * @param env extra environment variables
   * @param timeout how long it may take; it is killed after that
   * @param command the command and its arguments
   * @return the result
   */
  static Result run(Path dir, Map<String, String> env, Duration timeout, String... command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    try {
      Process p = start(dir, env, out, err, command);
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError(
            String.join(" ", command)
                + " did not finish within "
                + timeout
                + "\n--- stdout\n"
                + Files.readString(out)
                + "\n--- stderr\n"
                + Files.readString(err));
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Starts a command without waiting, its output appended to files.
   *
   * @param dir the working directory
   * @param env extra environment variables
   * @param out where stdout goes
   * @param err where stderr goes
   * @param command the command and its arguments
   * @return the process
   */
  static Process start(Path dir, Map<String, String> env, Path out, Path err, String... command)
      throws IOException {
    List<String> line = new ArrayList<>(List.of(command));
    ProcessBuilder builder =
        new ProcessBuilder(line)
            .directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
    builder.environment().putAll(env);
    return builder.start();
  }
}
