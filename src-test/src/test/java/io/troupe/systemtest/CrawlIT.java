package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crawl pipeline through the real CLI against a real nginx serving a site from {@code troupe
 * gen site}: exact against the generator's graph, equal to the sequential reference, and with
 * fetches that overlap on a slow server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class CrawlIT {

  @TempDir static Path dir;

  private GeneratedSite site;

  @BeforeAll
  void generateSite() throws Exception {
    site = GeneratedSite.generate(dir, "site", 2000, 11);
  }

  private JsonNode crawl(String... args) throws Exception {
    String[] all = new String[args.length + 4];
    all[0] = "run";
    all[1] = "crawl";
    System.arraycopy(args, 0, all, 2, args.length);
    all[all.length - 2] = "--format";
    all[all.length - 1] = "json";
    TroupeProcess.Result r = TroupeProcess.run(dir, all);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("status").asText()).isEqualTo("completed");
    return json;
  }

  @Test
  void crawlOfAGeneratedSite_isExactAndEqualsTheSequentialReference() throws Exception {
    try (Nginx nginx = Nginx.serve(site.root, dir.resolve("nginx"), Duration.ZERO)) {
      JsonNode job = crawl("--url", nginx.url(), "--concurrency", "16");
      JsonNode sequential = crawl("--url", nginx.url(), "--sequential");

      assertThat(GeneratedSite.figures(job.get("result")))
          .isEqualTo(site.figuresAt(nginx.origin()));
      // Orphan pages exist on disk, but nothing links to them.
      assertThat(site.expected.get("pages").asInt())
          .isLessThan(site.expected.get("sitePages").asInt());
      assertThat(job.get("result").get("complete").asBoolean()).isTrue();
      assertThat(sequential.get("result")).isEqualTo(job.get("result"));
      assertThat(job.get("report").get("itemsQuarantined").asInt()).isZero();
    }
  }

  @Test
  void fetchesOverlap_onASlowServer() throws Exception {
    Duration latency = Duration.ofMillis(200);
    try (Nginx nginx = Nginx.serve(site.root, dir.resolve("nginx-slow"), latency)) {
      JsonNode job =
          crawl(
              "--url",
              nginx.url(),
              "--max-pages",
              "300",
              "--concurrency",
              "32",
              "--per-host",
              "32");

      int fetched = job.get("result").get("fetched").asInt();
      assertThat(fetched).isEqualTo(300);
      double sumOfLatenciesMs = fetched * (double) latency.toMillis();
      double wallMs = job.get("report").get("wallMs").asDouble();
      // One fetch at a time would take at least the sum; 32 at once, about a thirty-second of it.
      assertThat(wallMs).isLessThan(sumOfLatenciesMs / 4);
      assertThat(job.get("report").get("workers").asInt()).isEqualTo(32);
    }
  }
}
