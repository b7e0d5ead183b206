package io.troupe.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.cluster.testing.TestNodes;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ready} never answers 200 before the node is Up. The node here can never be Up: its only
 * seed node is an address nothing listens on, so it keeps trying to join while its HTTP endpoint
 * answers. Nothing in the test depends on how fast the machine is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class ReadinessTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dir;

  private TroupeNode node;
  private String base;

  @BeforeAll
  void start() throws Exception {
    int nobody;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      nobody = socket.getLocalPort(); // closed again below: no seed will ever answer there
    }
    node =
        TroupeNode.start(
            "readiness-test",
            ConfigFactory.parseString(
                "troupe.persistence.journal = memory"
                    + "\npekko.remote.artery.canonical.hostname = 127.0.0.1"
                    + "\npekko.remote.artery.canonical.port = 0"
                    + "\npekko.cluster.seed-nodes = [\"pekko://readiness-test@127.0.0.1:"
                    + nobody
                    + "\"]"
                    + "\npekko.cluster.shutdown-after-unsuccessful-join-seed-nodes = off\n"
                    + TestNodes.HTTP_ON_FREE_PORT
                    + "troupe.http.token-file = \""
                    + dir.resolve("http-token")
                    + "\""),
            Pipelines.of(),
            TroupeNode.Membership.SEEDS);
    base = "http://127.0.0.1:" + TestNodes.serveHttp(node);
  }

  @AfterAll
  void stop() {
    TestNodes.close(node);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void ready_whileTheNodeIsNotUp_answers503_andAliveAnswers200() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(node.whenUp().toCompletableFuture()).isNotDone();
      HttpResponse<String> ready = get("/ready");
      assertThat(ready.statusCode())
          .as("/ready of a node that is not Up: %s", ready.body())
          .isEqualTo(503);
      HttpResponse<String> alive = get("/alive");
      assertThat(alive.statusCode())
          .as("/alive of a running node: %s", alive.body())
          .isEqualTo(200);
    }
  }
}
