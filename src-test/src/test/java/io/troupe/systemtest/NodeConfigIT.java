package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A misconfigured {@code troupe node} stops with one clear line and exit code 2, never as a silent
 * node that does not join. The nodes here use the default H2 ledger in the test's directory.
 */
final class NodeConfigIT {

  @TempDir Path dir;

  @Test
  void badHocon_isOneLine() throws Exception {
    Path config = write("broken.conf", "pekko { cluster { seed-nodes = [ \n");

    TroupeProcess.Result r = node(config);

    assertUsageError(r, "broken.conf");
  }

  @Test
  void noSeedNodes_isOneLine() throws Exception {
    Path config = write("lonely.conf", "pekko.remote.artery.canonical.port = 0\n");

    TroupeProcess.Result r = node(config);

    assertUsageError(r, "no seed nodes");
  }

  @Test
  void clusterPortInUse_isOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Path config =
          write(
              "taken.conf",
              "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:"
                  + port
                  + "\"]\npekko.remote.artery.canonical.port = "
                  + port
                  + "\npekko.management.http.port = 0\n");

      TroupeProcess.Result r = node(config);

      assertUsageError(r, Integer.toString(port));
    }
  }

  @Test
  void unreachableSeed_givesUpWithOneLine() throws Exception {
    int nobody;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nobody = probe.getLocalPort(); // free once closed: no node listens there
    }
    Path config =
        write(
            "alone.conf",
            "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:"
                + nobody
                + "\"]\npekko.remote.artery.canonical.port = 0\npekko.management.http.port = 0\n"
                + "pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = 3s\n");

    TroupeProcess.Result r = node(config);

    assertUsageError(r, "could not join");
  }

  @Test
  void ledgerDatabaseDown_isOneLine() throws Exception {
    int nobody;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nobody = probe.getLocalPort(); // nothing listens there once closed: a stopped server
    }
    Path config =
        write(
            "nodb.conf",
            "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:2551\"]\n"
                + "troupe.persistence { journal = postgres, postgres.url ="
                + " \"jdbc:postgresql://127.0.0.1:"
                + nobody
                + "/troupe\" }\n");

    TroupeProcess.Result r = node(config);

    assertUsageError(r, "127.0.0.1:" + nobody);
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void missingLedgerDatabase_isOneLine() throws Exception {
    Path config =
        write(
            "missing.conf",
            "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:2551\"]\n"
                + "troupe.persistence { journal = postgres, postgres.url ="
                + " \"jdbc:postgresql://127.0.0.1:5432/troupe_no_such_database\" }\n");

    TroupeProcess.Result r = node(config);

    // Without a server this also ends in one line, about the unreachable server instead.
    assertUsageError(r, "troupe_no_such_database");
  }

  @Test
  void anOpenTokenFile_isRefusedWithOneLineNamingTheFix() throws Exception {
    Path token = Files.createDirectories(dir.resolve("data")).resolve("http-token");
    Files.writeString(token, "kept-token\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));

    TroupeProcess.Result r = node(selfSeeded("open-token.conf"));

    assertUsageError(r, "chmod 600 " + token.toRealPath());
    assertThat(Files.readString(token)).isEqualTo("kept-token\n");
  }

  @Test
  void aSymlinkedTokenFile_isRefusedWithOneLine_andItsTargetIsLeftAlone() throws Exception {
    Path target = Files.writeString(dir.resolve("elsewhere.txt"), "not a token file\n");
    Path token = Files.createDirectories(dir.resolve("data")).resolve("http-token");
    Files.createSymbolicLink(token, target);

    TroupeProcess.Result r = node(selfSeeded("linked-token.conf"));

    assertUsageError(r, "is a symbolic link");
    assertThat(Files.readString(target)).isEqualTo("not a token file\n");
  }

  /** A node that forms a cluster of its own, on free ports, with the default H2 ledger. */
  private Path selfSeeded(String name) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    return write(
        name,
        "pekko.cluster.seed-nodes = [\"pekko://troupe@127.0.0.1:"
            + port
            + "\"]\npekko.remote.artery.canonical.port = "
            + port
            + "\npekko.management.http.port = 0"
            + "\npekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = 60s\n");
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private TroupeProcess.Result node(Path config) throws Exception {
    return TroupeProcess.run(dir, "node", "--config", config.toString());
  }

  private static void assertUsageError(TroupeProcess.Result r, String mentions) {
    assertThat(r.exitCode()).as("exit code; stderr: %s", r.stderr()).isEqualTo(2);
    assertThat(r.stderr().lines().filter(l -> l.startsWith("troupe: ")).toList())
        .as(r.stderr())
        .hasSize(1)
        .first()
        .asString()
        .contains(mentions);
    assertThat(r.stderr() + r.stdout()).doesNotContain("\tat ");
  }
}
