package io.troupe.systemtest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * Prometheus' own checker of the text exposition format, {@code promtool check metrics}, from
 * Debian's {@code prometheus} package. Without it the calling test is skipped, unless {@code
 * TROUPE_REQUIRE_PROMTOOL=1} (as CI sets, after installing it), in which case it fails.
 */
final class Promtool {

  private static final Path BINARY = Path.of("/usr/bin/promtool");

  private Promtool() {}

  /** Skips the calling test when promtool is missing (fails instead under CI's setting). */
  static void requireInstalled() {
    String missing =
        Files.isExecutable(BINARY)
            ? null
            : "promtool is not installed (" + BINARY + "); apt-get install prometheus";
    if (missing != null && "1".equals(System.getenv("TROUPE_REQUIRE_PROMTOOL"))) {
      Assertions.fail(missing + " (TROUPE_REQUIRE_PROMTOOL=1, so this is a failure, not a skip)");
    }
    assumeTrue(missing == null, missing);
  }

  /**
   * Checks a scrape with {@code promtool check metrics}: parse errors and lint problems both fail.
   *
   * @param exposition the text of a {@code /metrics} answer
   * @return promtool's output; empty when the scrape is clean
   * @throws AssertionError when promtool finds a problem
   */
  static String check(String exposition) throws IOException, InterruptedException {
    requireInstalled();
    Process p =
        new ProcessBuilder(BINARY.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(1, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("promtool did not finish in a minute");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "promtool check metrics failed (exit " + p.exitValue() + "):\n" + output);
    }
    return output;
  }
}
