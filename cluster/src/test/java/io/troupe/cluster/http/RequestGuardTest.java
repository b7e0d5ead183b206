package io.troupe.cluster.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The request guard's decisions, request by request, without a server: {@code Host} against DNS
 * rebinding, {@code Origin} against cross-site requests, JSON bodies only, and the token on
 * mutating routes and, when reads are authenticated, on every route holding data.
 */
final class RequestGuardTest {

  private static final String TOKEN = "the-token";
  private static final String SCRAPE = "the-scrape-token";

  private static RequestGuard guard(
      String hostname,
      HttpSettings.ReadAuthentication reads,
      List<String> hosts,
      List<String> origins) {
    return RequestGuard.of(
        new HttpSettings(
            hostname,
            8551,
            TOKEN,
            65536,
            Duration.ofSeconds(3),
            Path.of("data/http-token"),
            32,
            SCRAPE,
            reads,
            hosts,
            origins),
        List.of("node-1.cluster.example"));
  }

  private static final RequestGuard LOOPBACK =
      guard("127.0.0.1", HttpSettings.ReadAuthentication.AUTO, List.of(), List.of());

  private static Optional<Integer> get(
      RequestGuard guard, String path, String host, String origin, String bearer) {
    return guard
        .check("GET", path, "http", host, origin, "application/octet-stream", bearer)
        .map(r -> r.status().intValue());
  }

  private static Optional<Integer> post(
      RequestGuard guard, String host, String origin, String type, String bearer) {
    return guard
        .check("POST", "/api/jobs", "http", host, origin, type, bearer)
        .map(r -> r.status().intValue());
  }

  @Test
  void host_namingThisNode_passes_anyOtherNameIs421() {
    for (String host :
        List.of(
            "127.0.0.1:8551",
            "127.0.0.1",
            "localhost:8551",
            "LOCALHOST",
            "127.9.9.9:8551",
            "[::1]:8551",
            "[::1]")) {
      assertThat(get(LOOPBACK, "/api/jobs", host, null, null)).as(host).isEmpty();
    }
    for (String host :
        List.of(
            "evil.example",
            "evil.example:8551",
            "127.0.0.1.evil.example",
            "localhost.evil.example:8551",
            "192.0.2.44:8551",
            "[2001:db8::1]:8551",
            "::1",
            "127.0.0.1:port",
            "",
            "[::1")) {
      assertThat(get(LOOPBACK, "/api/jobs", host, null, null)).as(host).contains(421);
      assertThat(post(LOOPBACK, host, null, "application/json", TOKEN)).as(host).contains(421);
    }
    assertThat(get(LOOPBACK, "/api/jobs", null, null, null)).as("no Host at all").isEmpty();
  }

  @Test
  void host_allowedHostsAndTheConfiguredName_pass() {
    RequestGuard named =
        guard(
            "troupe-1.internal",
            HttpSettings.ReadAuthentication.OFF,
            List.of("lb.example", "proxy.example:443"),
            List.of());
    assertThat(get(named, "/api/jobs", "troupe-1.internal:8551", null, null)).isEmpty();
    assertThat(get(named, "/api/jobs", "Troupe-1.Internal", null, null)).isEmpty();
    assertThat(get(named, "/api/jobs", "lb.example", null, null)).isEmpty();
    assertThat(get(named, "/api/jobs", "lb.example:8080", null, null)).isEmpty();
    assertThat(get(named, "/api/jobs", "proxy.example:443", null, null)).isEmpty();
    assertThat(get(named, "/api/jobs", "proxy.example:444", null, null)).contains(421);
    assertThat(get(named, "/api/jobs", "troupe-2.internal", null, null)).contains(421);
    assertThat(get(named, "/api/jobs", "node-1.cluster.example:8551", null, null))
        .as("the node's cluster host name")
        .isEmpty();
  }

  @Test
  void origin_mustBeTheNodesOwnOrAllowed() {
    RequestGuard allowing =
        guard(
            "127.0.0.1",
            HttpSettings.ReadAuthentication.AUTO,
            List.of(),
            List.of("https://dash.example/"));
    String host = "127.0.0.1:8551";
    assertThat(post(LOOPBACK, host, "http://127.0.0.1:8551", "application/json", TOKEN)).isEmpty();
    assertThat(post(LOOPBACK, host, null, "application/json", TOKEN)).isEmpty();
    for (String origin :
        List.of(
            "http://evil.example",
            "null",
            "http://127.0.0.1",
            "https://127.0.0.1:8551",
            "http://localhost:8551",
            "http://127.0.0.1:8551.evil.example")) {
      assertThat(post(LOOPBACK, host, origin, "application/json", TOKEN)).as(origin).contains(403);
      assertThat(get(LOOPBACK, "/api/jobs", host, origin, null)).as(origin).contains(403);
    }
    assertThat(post(allowing, host, "https://dash.example", "application/json", TOKEN)).isEmpty();
    assertThat(post(allowing, host, "https://other.example", "application/json", TOKEN))
        .contains(403);
  }

  @Test
  void mutatingRequests_needJson_beforeTheToken() {
    String host = "127.0.0.1:8551";
    assertThat(post(LOOPBACK, host, null, "application/json", TOKEN)).isEmpty();
    for (String type :
        List.of(
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/octet-stream",
            "application/json-patch+json")) {
      assertThat(post(LOOPBACK, host, null, type, TOKEN)).as(type).contains(415);
    }
    assertThat(
            LOOPBACK
                .check("DELETE", "/cluster/members/x", "http", host, null, "text/plain", TOKEN)
                .map(r -> r.status().intValue()))
        .contains(415);
  }

  @Test
  void mutatingRequests_needTheToken_onLoopbackToo() {
    String host = "127.0.0.1:8551";
    assertThat(post(LOOPBACK, host, null, "application/json", null)).contains(401);
    assertThat(post(LOOPBACK, host, null, "application/json", "the-toke")).contains(401);
    assertThat(post(LOOPBACK, host, null, "application/json", SCRAPE)).contains(401);
    RequestGuard.Refusal refusal =
        LOOPBACK.check("POST", "/api/jobs", "http", host, null, "application/json", null).get();
    assertThat(refusal.message()).contains("Authorization: Bearer").doesNotContain(TOKEN);
  }

  @Test
  void reads_onLoopbackAreOpen_whenAuthenticatedOnlyHealthAndThePageAre() {
    String host = "127.0.0.1:8551";
    List<String> data =
        List.of(
            "/api/jobs",
            "/api/jobs/sum-1",
            "/api/cluster",
            "/api/pipelines",
            "/metrics",
            "/cluster/members",
            "/startup",
            "/assets/../api/jobs",
            "/readyz",
            "/bootstrap",
            "/bootstrap/seed-nodes/x",
            "/nowhere");
    for (String path : data) {
      assertThat(get(LOOPBACK, path, host, null, null)).as(path).isEmpty();
    }
    RequestGuard reads =
        guard("127.0.0.1", HttpSettings.ReadAuthentication.ON, List.of(), List.of());
    for (String path : data) {
      assertThat(get(reads, path, host, null, null)).as(path).contains(401);
      assertThat(get(reads, path, host, null, TOKEN)).as(path).isEmpty();
    }
    for (String path :
        List.of("/ready", "/alive", "/", "/assets/dashboard.js", "/bootstrap/seed-nodes")) {
      assertThat(get(reads, path, host, null, null)).as(path).isEmpty();
    }
    assertThat(get(reads, "/metrics", host, null, SCRAPE)).isEmpty();
    assertThat(get(reads, "/api/jobs", host, null, SCRAPE)).contains(401);
  }

  @Test
  void reads_auto_needTheTokenOnAWildcardBind() {
    RequestGuard everywhere =
        guard("0.0.0.0", HttpSettings.ReadAuthentication.AUTO, List.of(), List.of());
    assertThat(get(everywhere, "/api/jobs", "127.0.0.1:8551", null, null)).contains(401);
    assertThat(get(everywhere, "/api/jobs", "127.0.0.1:8551", null, TOKEN)).isEmpty();
    assertThat(get(everywhere, "/ready", "127.0.0.1:8551", null, null)).isEmpty();
    // Cluster Bootstrap's peers ask without a token
    assertThat(get(everywhere, "/bootstrap/seed-nodes", "127.0.0.1:8551", null, null)).isEmpty();
    assertThat(
            everywhere
                .check(
                    "POST",
                    "/bootstrap/seed-nodes",
                    "http",
                    "127.0.0.1:8551",
                    null,
                    "application/json",
                    null)
                .map(r -> r.status().intValue()))
        .contains(401);
    assertThat(get(everywhere, "/api/jobs", "evil.example", null, TOKEN)).contains(421);
  }

  @Test
  void withoutToken_checksHostAndOriginOnly() {
    RequestGuard metrics = RequestGuard.withoutToken("127.0.0.1");
    assertThat(get(metrics, "/metrics", "127.0.0.1:9464", null, null)).isEmpty();
    assertThat(get(metrics, "/metrics", "evil.example:9464", null, null)).contains(421);
    assertThat(get(metrics, "/metrics", "127.0.0.1:9464", "http://evil.example", null))
        .contains(403);
  }
}
