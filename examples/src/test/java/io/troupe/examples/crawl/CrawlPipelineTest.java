package io.troupe.examples.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.troupe.cluster.JobStatus;
import io.troupe.cluster.TroupeNode;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.persistence.JobSpec;
import io.troupe.sdk.PipelineUsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Crawls of a generated site on an embedded node: exact against the generator's graph. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class CrawlPipelineTest {

  private TroupeNode node;
  private SiteServer server;
  private JsonNode expected;
  private int jobs;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    SiteGenerator site = SiteGenerator.of(400, 3);
    site.write(dir.resolve("site"));
    expected = site.expected();
    server = SiteServer.start(dir.resolve("site"), Duration.ZERO, 16);
    node =
        TroupeNode.start(
            "crawl-test",
            ConfigFactory.parseString(
                "troupe.persistence.h2.file = \"" + dir.resolve("ledger") + "\"\n"),
            Pipelines.load(),
            TroupeNode.Membership.SELF);
    node.whenUp().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private JobStatus run(String... args) throws Exception {
    String job = "crawl-" + ++jobs;
    node.jobs()
        .start(new JobSpec(job, "crawl", List.of(args)))
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    return node.jobs()
        .awaitCompletion(job, Duration.ofMinutes(2))
        .toCompletableFuture()
        .get(130, TimeUnit.SECONDS);
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
