package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * A site written by {@code troupe gen site} and the figures a crawl of it must report, read from
 * the generator's {@code crawl-expected.json}.
 */
final class GeneratedSite {

  private static final String[] FIGURES = {
    "pages", "links", "broken", "maxDepth", "depthHistogram", "topInDegree"
  };

  final Path root;
  final JsonNode expected;

  private GeneratedSite(Path root, JsonNode expected) {
    this.root = root;
    this.expected = expected;
  }

  /** Runs {@code troupe gen site} in {@code dir}, writing to {@code dir/name}. */
  static GeneratedSite generate(Path dir, String name, int pages, long seed) throws Exception {
    TroupeProcess.Result gen =
        TroupeProcess.run(
            dir,
            "gen",
            "site",
            "--pages",
            Integer.toString(pages),
            "--seed",
            Long.toString(seed),
            "--out",
            name);
    assertThat(gen.exitCode()).as(gen.stderr()).isZero();
    Path root = dir.resolve(name);
    return new GeneratedSite(
        root, new ObjectMapper().readTree(root.resolve("crawl-expected.json").toFile()));
  }

  /** Returns the figures a crawl from {@code origin + "/"} must report, paths made URLs. */
  ObjectNode figuresAt(String origin) {
    ObjectNode e = expected.deepCopy();
    for (JsonNode t : e.get("topInDegree")) {
      ObjectNode row = (ObjectNode) t;
      int inDegree = row.remove("inDegree").asInt();
      row.put("url", origin + row.remove("path").asText()).put("inDegree", inDegree);
    }
    return e.retain(FIGURES);
  }

  /** Returns the figures of a crawl's result, without its other fields. */
  static ObjectNode figures(JsonNode result) {
    return ((ObjectNode) result.deepCopy()).retain(FIGURES);
  }
}
