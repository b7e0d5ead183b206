package io.troupe.cluster.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.cluster.testing.TestNodes;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.Test;

/**
 * A node that finds no cluster within {@code formation-timeout} stops with the reason a failed
 * seed-node join gives, so {@code troupe node} exits non-zero the same way.
 */
final class BootstrapGiveUpTest {

  @Test
  void node_notUpWithinFormationTimeout_stopsAsAFailedJoin() throws Exception {
    int nobody;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nobody = socket.getLocalPort(); // closed below: nothing answers there
    }
    TroupeNode node =
        TroupeNode.start(
            "bootstrap-give-up-test",
            ConfigFactory.parseString(
                "troupe.persistence.journal = memory\n"
                    + "pekko.remote.artery.canonical { hostname = 127.0.0.1, port = 0 }\n"
                    + "troupe.cluster.bootstrap {\n"
                    + "  enabled = on\n"
                    + "  discovery.config.contact-points = [\"127.0.0.1:"
                    + nobody
                    + "\"]\n"
                    + "  probe-interval = 100ms\n"
                    + "  request-timeout = 500ms\n"
                    + "  formation-timeout = 1500ms\n"
                    + "}\n"),
            Pipelines.of(),
            TroupeNode.Membership.BOOTSTRAP);
    try {
      node.system().getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertThat(node.whenUp().toCompletableFuture()).isNotDone();
      assertThat(
              CoordinatedShutdown.get(Adapter.toClassic(node.system()))
                  .getShutdownReason()
                  .orElse(null))
          .isInstanceOf(CoordinatedShutdown.ClusterJoinUnsuccessfulReason$.class);
    } finally {
      TestNodes.close(node);
    }
  }
}
