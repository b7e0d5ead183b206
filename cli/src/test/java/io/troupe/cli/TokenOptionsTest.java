package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code submit}, {@code status} and {@code list --node} find a node's token, in order, and
 * the one line a 401 gets. A node elsewhere never gets the local node's token file.
 */
final class TokenOptionsTest {

  private static final String LOCAL = "http://127.0.0.1:8551";

  /** A documentation address (TEST-NET-1): not this machine; nothing is sent there. */
  private static final String REMOTE = "http://192.0.2.1:8551";

  @TempDir Path dir;

  private final StringWriter warnings = new StringWriter();

  private TokenOptions.NodeToken resolve(
      TokenOptions options, String node, Map<String, String> env, Path home) {
    return options.resolve(
        node,
        env,
        dir.resolve("work"),
        home == null ? null : home.toString(),
        new PrintWriter(warnings, true));
  }

  private Path tokenFile(Path under, String token) throws Exception {
    Path file = under.resolve("data/http-token");
    Files.createDirectories(file.getParent());
    Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void theOrder_isTokenFlag_thenEnvironment_thenTokenFile_thenTheNodesFiles() throws Exception {
    tokenFile(dir.resolve("work"), "from-working-dir");
    tokenFile(dir.resolve("home"), "from-home");
    Path given = Files.writeString(dir.resolve("given"), "from-token-file\n");
    Map<String, String> env = Map.of("TROUPE_HTTP_TOKEN", "from-env");

    TokenOptions flag = new TokenOptions();
    flag.token = "from-flag";
    flag.tokenFile = given;
    assertThat(resolve(flag, LOCAL, env, dir.resolve("home")).token()).isEqualTo("from-flag");
    assertThat(warnings.toString())
        .contains("--token shows in the process list (ps)")
        .contains("TROUPE_HTTP_TOKEN")
        .contains("--token-file");

    TokenOptions file = new TokenOptions();
    file.tokenFile = given;
    assertThat(resolve(file, LOCAL, env, dir.resolve("home")).token()).isEqualTo("from-env");
    assertThat(resolve(file, LOCAL, Map.of(), dir.resolve("home")).token())
        .isEqualTo("from-token-file");

    TokenOptions none = new TokenOptions();
    assertThat(resolve(none, LOCAL, Map.of(), dir.resolve("home")).token())
        .isEqualTo("from-working-dir");
    Files.delete(dir.resolve("work/data/http-token"));
    TokenOptions.NodeToken home = resolve(none, LOCAL, Map.of(), dir.resolve("home"));
    assertThat(home.token()).isEqualTo("from-home");
    assertThat(home.source()).isEqualTo(dir.resolve("home/data/http-token").toString());
  }

  @Test
  void onlyTheTokenFlag_warns() throws Exception {
    resolve(new TokenOptions(), LOCAL, Map.of("TROUPE_HTTP_TOKEN", "from-env"), null);
    assertThat(warnings.toString()).isEmpty();
  }

  @Test
  void aNodeElsewhere_neverGetsTheLocalTokenFiles() throws Exception {
    tokenFile(dir.resolve("work"), "local-secret");

    TokenOptions.NodeToken remote = resolve(new TokenOptions(), REMOTE, Map.of(), null);

    assertThat(remote.token()).isEmpty();
    assertThat(remote.tried()).anyMatch(t -> t.contains("not on this machine"));
    assertThat(TokenOptions.onThisMachine(REMOTE)).isFalse();
    assertThat(TokenOptions.onThisMachine(LOCAL)).isTrue();
    assertThat(TokenOptions.onThisMachine("http://localhost:8551")).isTrue();
    assertThat(TokenOptions.onThisMachine("http://[::1]:8551")).isTrue();
  }

  @Test
  void aMissingTokenFile_isAUsageError() {
    TokenOptions options = new TokenOptions();
    options.tokenFile = dir.resolve("absent");
    assertThatThrownBy(() -> resolve(options, LOCAL, Map.of(), null))
        .isInstanceOf(UsageException.class)
        .hasMessage("--token-file: no such file: " + dir.resolve("absent"));
  }

  @Test
  void a401_saysWhereTheTokenCameFrom_orWhereNoneWasFound_andHowToGiveOne() throws Exception {
    AtomicReference<String> sent = new AtomicReference<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/jobs",
        exchange -> {
          sent.set(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body = "{\"error\":\"needs the token\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(401, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      TokenOptions.NodeToken none = resolve(new TokenOptions(), url, Map.of(), dir.resolve("home"));
      assertThatThrownBy(() -> NodeClient.of(url, none).get("/api/jobs"))
          .isInstanceOf(UsageException.class)
          .hasMessageContaining("needs its token (401); none found (tried TROUPE_HTTP_TOKEN")
          .hasMessageContaining(dir.resolve("work/data/http-token").toString())
          .hasMessageContaining(dir.resolve("home/data/http-token").toString())
          .hasMessageContaining("TROUPE_HTTP_TOKEN=... or --token-file FILE")
          .hasMessageNotContaining("\n");
      assertThat(sent.get()).isNull();

      tokenFile(dir.resolve("work"), "stale-token");
      TokenOptions.NodeToken stale = resolve(new TokenOptions(), url, Map.of(), null);
      assertThatThrownBy(() -> NodeClient.of(url, stale).get("/api/jobs"))
          .isInstanceOf(UsageException.class)
          .hasMessageContaining(
              "refused the token from " + dir.resolve("work/data/http-token") + " (401)")
          .hasMessageNotContaining("stale-token");
      assertThat(sent.get()).isEqualTo("Bearer stale-token");
    } finally {
      server.stop(0);
    }
  }
}
