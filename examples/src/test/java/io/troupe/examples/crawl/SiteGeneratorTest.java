package io.troupe.examples.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated site: deterministic, with the features a crawler must get right. */
final class SiteGeneratorTest {

  @TempDir Path dir;

  @Test
  void sameSeedAndPages_giveTheSameBytes() throws Exception {
    SiteGenerator.of(200, 7).write(dir.resolve("a"));
    SiteGenerator.of(200, 7).write(dir.resolve("b"));

    try (Stream<Path> files = Files.walk(dir.resolve("a"))) {
      for (Path a : files.filter(Files::isRegularFile).toList()) {
        Path b = dir.resolve("b").resolve(dir.resolve("a").relativize(a));
        assertThat(Files.readAllBytes(b)).as(a.toString()).isEqualTo(Files.readAllBytes(a));
      }
    }
    assertThat(SiteGenerator.of(200, 8).expected())
        .isNotEqualTo(SiteGenerator.of(200, 7).expected());
  }

  @Test
  void expected_hasBrokenLinksDeepPagesAndOrphans() throws Exception {
    SiteGenerator site = SiteGenerator.of(2000, 42);
    site.write(dir);
    JsonNode expected = new ObjectMapper().readTree(dir.resolve("crawl-expected.json").toFile());

    assertThat(expected.toString()).isEqualTo(site.expected().toString());
    assertThat(expected.get("sitePages").asInt()).isEqualTo(2000);
    // Orphans exist on disk but no crawl reaches them.
    assertThat(expected.get("pages").asInt()).isBetween(1900, 1999);
    assertThat(Files.exists(dir.resolve("s15/page-1999.html"))).isTrue();
    assertThat(expected.get("broken").asInt()).isPositive();
    // The chain at the end is reachable only deep.
    assertThat(expected.get("maxDepth").asInt()).isGreaterThan(20);
    assertThat(expected.get("links").asLong()).isGreaterThan(2 * expected.get("pages").asLong());
    assertThat(expected.get("topInDegree")).hasSize(10);
    assertThat(expected.get("topInDegree").get(0).get("path").asText()).isEqualTo("/");
    int histogramTotal = 0;
    for (JsonNode d : expected.get("depthHistogram")) {
      histogramTotal += d.get("pages").asInt();
    }
    assertThat(histogramTotal).isEqualTo(expected.get("pages").asInt());
  }

  @Test
  void aSinglePage_isASiteToo() {
    JsonNode expected = SiteGenerator.of(1, 1).expected();

    assertThat(expected.get("pages").asInt()).isEqualTo(1);
    assertThat(expected.get("maxDepth").asInt()).isZero();
  }

  @Test
  void pagesOutOfRange_areRejected() {
    assertThatThrownBy(() -> SiteGenerator.of(0, 1)).hasMessageContaining("between 1 and");
  }
}
