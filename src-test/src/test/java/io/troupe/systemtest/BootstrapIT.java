package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster Bootstrap on test hosts of their own ({@link TestHosts}): three nodes with no seed nodes
 * configured, each with the three hosts' HTTP endpoints as contact points ({@code
 * src-test/hosts/bootstrap-node.conf}), form one cluster, formed by the lowest address; a fourth
 * node started later, not among the contact points, joins it; a job then runs on all four.
 */
final class BootstrapIT {

  @TempDir Path dir;

  private TestHosts hosts;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    try {
      for (Process p : started) {
        p.destroy();
      }
      for (Process p : started) {
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    } finally {
      if (hosts != null) {
        hosts.close();
      }
    }
  }

  @Test
  void threeHostsFormAClusterWithoutSeedNodes_andAFourthJoinsLater() throws Exception {
    hosts = TestHosts.up(4);
    long begun = System.nanoTime();
    // Started one after the other, the last two seconds later: nobody forms a cluster alone.
    for (int i = 1; i <= 3; i++) {
      start(i);
      Thread.sleep(i == 2 ? 2000 : 0);
    }
    awaitMembers(List.of(1, 2, 3), 3);
    double formed = (System.nanoTime() - begun) / 1e9;
    for (int i = 1; i <= 3; i++) {
      JsonNode members = members(i);
      assertThat(members.path("oldest").asText())
          .as("host %d: the lowest contact point formed the cluster", i)
          .isEqualTo("pekko://troupe@" + hosts.address(1) + ":2551");
    }

    long fourth = System.nanoTime();
    start(4);
    awaitMembers(List.of(1, 2, 3, 4), 4);
    double joined = (System.nanoTime() - fourth) / 1e9;

    LocalCluster.Node entry =
        new LocalCluster.Node(
            "host-4",
            "http://" + hosts.address(4) + ":8551",
            "pekko://troupe@" + hosts.address(4) + ":2551",
            null);
    String job = JobsApi.submit(entry, "primes", "--limit", "1000000000", "--segment", "1000000");
    JsonNode done = JobsApi.awaitCompleted(entry.http + "/api/jobs/" + job, "bootstrap");
    assertThat(done.path("result").path("count").asLong()).isEqualTo(50_847_534L);
    System.out.println(
        String.format(
            Locale.ROOT,
            "bootstrap: three hosts formed a cluster without seed nodes %.1f s after the first"
                + " started (JVM starts included); a fourth joined %.1f s after it started; a job"
                + " submitted to it ran on %d of the four",
            formed,
            joined,
            done.path("report").path("nodes").asInt()));
  }

  private void start(int host) throws Exception {
    Path nodeDir = Files.createDirectories(dir.resolve("host-" + host));
    ProcessBuilder builder =
        hosts
            .process(
                Integer.toString(host),
                TroupeProcess.command(
                    List.of(), "node", "--config", TestHosts.BOOTSTRAP_CONF.toString()))
            .directory(nodeDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(nodeDir.resolve("node.log").toFile());
    builder.environment().putAll(LocalCluster.withToken(java.util.Map.of()));
    started.add(builder.start());
  }

  private JsonNode members(int host) throws Exception {
    return LocalCluster.get(
            "http://" + hosts.address(host) + ":8551/cluster/members", Duration.ofSeconds(5))
        .body();
  }

  private void awaitMembers(List<Integer> on, int up) {
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              for (int host : on) {
                JsonNode m = members(host);
                long count = 0;
                for (JsonNode member : m.path("members")) {
                  if ("Up".equals(member.path("status").asText())) {
                    count++;
                  }
                }
                if (count != up) {
                  return false;
                }
              }
              return true;
            });
  }
}
