package io.troupe.examples.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.testing.TestNodes;
import io.troupe.persistence.JobSpec;
import io.troupe.sdk.Confinement;
import io.troupe.sdk.PipelineUsageException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crawls of a generated site on an embedded node: exact against the generator's graph. The node
 * allows only 127.0.0.1, where the site is served; other loopback addresses stand for what a node
 * must not connect to (nothing here connects beyond this machine).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class CrawlPipelineTest {

  private TroupeNode node;
  private SiteServer server;
  private JsonNode expected;
  private int jobs;
  private Path dir;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    this.dir = dir;
    SiteGenerator site = SiteGenerator.of(400, 3);
    site.write(dir.resolve("site"));
    expected = site.expected();
    server = SiteServer.start(dir.resolve("site"), Duration.ZERO, 16);
    node =
        TestNodes.startUp(
            "crawl-test",
            TestNodes.h2Ledger(dir.resolve("ledger"))
                + "troupe.pipelines.allow-addresses = [\"127.0.0.1\"]\n",
            Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() {
    TestNodes.close(node);
    if (server != null) {
      server.close();
    }
  }

  private JobStatus run(String... args) throws Exception {
    String job = "crawl-" + ++jobs;
    return TestNodes.run(node, new JobSpec(job, "crawl", List.of(args)), Duration.ofMinutes(2));
  }

  /** The generator's figures with URLs for paths. */
  private JsonNode expectedFor(String origin) {
    ObjectNode e = expected.deepCopy();
    e.remove("sitePages");
    ArrayNode top = (ArrayNode) e.get("topInDegree");
    for (JsonNode t : top) {
      ((ObjectNode) t).put("url", origin + t.get("path").asText()).remove("path");
      // keep field order url, inDegree as the crawl reports it
      int in = t.get("inDegree").asInt();
      ((ObjectNode) t).remove("inDegree");
      ((ObjectNode) t).put("inDegree", in);
    }
    return e;
  }

  private static JsonNode figures(JsonNode result) {
    ObjectNode f = result.deepCopy();
    f.retain("pages", "links", "broken", "maxDepth", "depthHistogram", "topInDegree");
    return f;
  }

  @Test
  void crawl_matchesTheGeneratorsGraphAndTheSequentialReference() throws Exception {
    JobStatus done = run("--url", server.url(), "--concurrency", "8");

    assertThat(done.state()).isEqualTo("completed");
    String origin = server.url().substring(0, server.url().length() - 1);
    assertThat(figures(done.result())).isEqualTo(figures(expectedFor(origin)));
    assertThat(done.result().get("complete").asBoolean()).isTrue();
    CrawlPipeline crawl = new CrawlPipeline();
    assertThat(crawl.sequential(crawl.parse(List.of("--url", server.url()))).orElseThrow())
        .isEqualTo(done.result());
  }

  @Test
  void aLinkFoundOnManyPages_isFetchedOnce() throws Exception {
    int before = server.requests();
    JobStatus done = run("--url", server.url(), "--concurrency", "16");

    assertThat(server.requests() - before).isEqualTo(done.result().get("fetched").asInt());
    assertThat(done.items()).isEqualTo(done.result().get("fetched").asLong());
  }

  @Test
  void maxPages_boundsTheUrlsFetched() throws Exception {
    JobStatus done = run("--url", server.url(), "--max-pages", "50");

    assertThat(done.result().get("fetched").asInt()).isEqualTo(50);
    assertThat(done.result().get("complete").asBoolean()).isFalse();
  }

  @Test
  void anUnreachableStart_isReportedNotHung() throws Exception {
    JobStatus done = run("--url", "http://127.0.0.1:1/", "--timeout", "5");

    assertThat(done.state()).isEqualTo("completed");
    assertThat(done.result().get("pages").asInt()).isZero();
    assertThat(done.result().get("startNotFetched").asText()).isNotBlank();
  }

  @Test
  void anUnreachableStart_andAnOpenPortThatIsNotHttp_giveTheSameReason() throws Exception {
    try (ServerSocket notHttp = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      JobStatus closed = run("--url", "http://127.0.0.1:1/", "--timeout", "5");
      // Accepts (the backlog does) and never answers: the request times out.
      JobStatus open =
          run("--url", "http://127.0.0.1:" + notHttp.getLocalPort() + "/", "--timeout", "1");

      assertThat(closed.result().get("startNotFetched").asText()).isEqualTo("no response");
      assertThat(open.result().get("startNotFetched").asText()).isEqualTo("no response");
    }
  }

  @Test
  void aLinkToAnAddressTheNodeDoesNotAllow_isRefusedBeforeConnecting() throws Exception {
    try (ServerSocketChannel other = ServerSocketChannel.open()) {
      other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      other.configureBlocking(false);
      String forbidden = "http://127.0.0.2:" + other.socket().getLocalPort() + "/secret.html";
      Path site = Files.createDirectories(dir.resolve("linking"));
      Files.writeString(
          site.resolve("index.html"),
          "<html><body><a href=\"" + forbidden + "\">elsewhere</a></body></html>");
      try (SiteServer linking = SiteServer.start(site, Duration.ZERO, 2)) {
        JobStatus done = run("--url", linking.url(), "--no-same-host");

        assertThat(done.state()).isEqualTo("completed");
        assertThat(done.result().get("broken").asInt()).as(done.result().toString()).isEqualTo(1);
        assertThat(other.accept()).as("no connection reached 127.0.0.2").isNull();
        CrawlPipeline crawl = new CrawlPipeline();
        Confinement node = Confinement.of(List.of(), List.of(), List.of("127.0.0.1"));
        JsonNode sequential =
            Confinement.within(
                    node,
                    () -> {
                      try {
                        return crawl.sequential(
                            crawl.parse(List.of("--url", linking.url(), "--no-same-host")));
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                    })
                .orElseThrow();
        assertThat(sequential).isEqualTo(done.result());
        assertThat(other.accept()).as("the sequential crawler did not connect either").isNull();
      }
    }
  }

  @Test
  void theFetcher_refusesAnAddressBeforeAnyConnectionIsOpened() throws Exception {
    try (ServerSocketChannel listening = ServerSocketChannel.open()) {
      listening.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      listening.configureBlocking(false);
      Fetcher fetcher =
          new Fetcher(
              node.system(),
              Confinement.of(List.of(), List.of(), List.of()),
              1,
              1,
              Duration.ofSeconds(30));

      Fetcher.Response r =
          fetcher
              .get("http://127.0.0.1:" + listening.socket().getLocalPort() + "/")
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);

      assertThat(r.error())
          .isEqualTo("address not allowed on this node (troupe.pipelines.allow-addresses)");
      assertThat(listening.accept()).as("no connection was opened").isNull();
    }
  }

  @Test
  void aStartOnAnAddressTheNodeDoesNotAllow_isAUsageError() {
    CrawlPipeline crawl = new CrawlPipeline();
    Confinement none = Confinement.of(List.of(), List.of(), List.of());

    assertThatThrownBy(
            () ->
                Confinement.within(
                    none, () -> crawl.parse(List.of("--url", "http://127.0.0.1:5432/"))))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessage(
            "crawl: --url: 127.0.0.1 is a loopback address, which this node connects to only if"
                + " troupe.pipelines.allow-addresses lists it");
    assertThatThrownBy(
            () ->
                Confinement.within(
                    none, () -> crawl.parse(List.of("--url", "http://[::ffff:169.254.169.254]/"))))
        .hasMessageContaining("is a link-local address");
  }

  @Test
  void sameHost_isOnByDefault_andNoSameHostTurnsItOff() {
    CrawlPipeline crawl = new CrawlPipeline();
    String url = "http://127.0.0.1:9/";

    assertThat(crawl.parse(List.of("--url", url)).sameHost).isTrue();
    assertThat(crawl.parse(List.of("--url", url, "--same-host")).sameHost).isTrue();
    assertThat(crawl.parse(List.of("--url", url, "--no-same-host")).sameHost).isFalse();
  }

  @Test
  void aStartWithCredentials_crawlsWithoutThem() {
    CrawlPipeline crawl = new CrawlPipeline();

    CrawlPipeline.Options o = crawl.parse(List.of("--url", "http://user:secret@127.0.0.1:9/x"));

    assertThat(o.start).isEqualTo("http://127.0.0.1:9/x");
  }

  @Test
  void parse_withBadOptions_explainsWhatIsAllowed() {
    CrawlPipeline crawl = new CrawlPipeline();
    assertThatThrownBy(() -> crawl.parse(List.of("--url", "ftp://x")))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessage("crawl: --url must be an absolute http or https URL, was ftp://x");
    assertThatThrownBy(() -> crawl.parse(List.of("--url", server.url(), "--concurrency", "0")))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageContaining("--concurrency must be between 1 and 1024");
    assertThatThrownBy(() -> crawl.parse(List.of()))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageContaining("--url");
  }
}
