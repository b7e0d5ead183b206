package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe node} with Cluster Bootstrap misconfigured stops before anything starts, with one
 * line naming the keys and exit code 2.
 */
final class NodeBootstrapConfigTest {

  @TempDir Path dir;

  private String[] run(String hocon) throws Exception {
    Path file = Files.writeString(dir.resolve("node.conf"), hocon);
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Troupe.execute("node", "--config", file.toString());
    } finally {
      System.setErr(saved);
    }
    return new String[] {String.valueOf(code), err.toString(StandardCharsets.UTF_8).strip()};
  }

  @Test
  void node_withBootstrapAndSeedNodes_exits2NamingBothKeysInOneLine() throws Exception {
    String[] result =
        run(
            "troupe.persistence.journal = memory\n"
                + "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:2551\"]\n"
                + "troupe.cluster.bootstrap { enabled = on,"
                + " discovery.config.contact-points = [\"127.0.0.1:8551\"] }\n");
    assertThat(result[0]).isEqualTo(String.valueOf(ExitCode.USAGE));
    assertThat(result[1])
        .startsWith("troupe: ")
        .contains("troupe.cluster.bootstrap.enabled")
        .contains("pekko.cluster.seed-nodes")
        .doesNotContain("\n");
  }

  @Test
  void node_withBootstrapButNoContactPoints_exits2NamingTheKey() throws Exception {
    String[] result =
        run("troupe.persistence.journal = memory\ntroupe.cluster.bootstrap.enabled = on\n");
    assertThat(result[0]).isEqualTo(String.valueOf(ExitCode.USAGE));
    assertThat(result[1])
        .contains("troupe.cluster.bootstrap.discovery.config.contact-points is empty")
        .doesNotContain("\n");
  }
}
