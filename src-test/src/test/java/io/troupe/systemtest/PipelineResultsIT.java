package io.troupe.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every pipeline's result is identical for any number of workers and equal to its sequential
 * reference, through the real CLI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class PipelineResultsIT {

  @TempDir static Path dir;

  private String corpus;

  @BeforeAll
  void generateCorpus() throws Exception {
    corpus = dir.resolve("corpus.txt").toString();
    TroupeProcess.Result gen =
        TroupeProcess.run(dir, "gen", "text", "--size", "6MB", "--seed", "7", "--out", corpus);
    assertThat(gen.exitCode()).as(gen.stderr()).isZero();
  }

  /** Runs the pipeline sequentially and with 1, 2 and 8 workers; returns the four results. */
  private List<JsonNode> results(String... pipelineArgs) throws Exception {
    List<JsonNode> results = new ArrayList<>();
    for (String mode : List.of("--sequential", "1", "2", "8")) {
      List<String> args = new ArrayList<>(List.of("run"));
      args.addAll(List.of(pipelineArgs));
      if (mode.startsWith("--")) {
        args.add(mode);
      } else {
        args.addAll(List.of("--workers", mode));
      }
      args.addAll(List.of("--format", "json"));
      TroupeProcess.Result r = TroupeProcess.run(dir, args.toArray(String[]::new));
      assertThat(r.exitCode()).as("%s: %s", args, r.stderr()).isZero();
      JsonNode json = r.json();
      assertThat(json.get("status").asText()).isEqualTo("completed");
      if (!mode.startsWith("--")) {
        assertThat(json.get("report").get("workers").asInt()).isEqualTo(Integer.parseInt(mode));
      }
      results.add(json.get("result"));
    }
    return results;
  }

  private static void assertAllEqual(List<JsonNode> results) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    String reference = mapper.writeValueAsString(mapper.treeToValue(results.get(0), Object.class));
    for (JsonNode r : results) {
      assertThat(mapper.writeValueAsString(mapper.treeToValue(r, Object.class)))
          .isEqualTo(reference);
    }
  }

  @Test
  void wordcount_sameResultForAnyWorkersAndSequential() throws Exception {
    List<JsonNode> results =
        results("wordcount", "--input", corpus, "--chunk-size", "256KB", "--top", "25");

    assertAllEqual(results);
    assertThat(results.get(0).get("top")).hasSize(25);
    assertThat(results.get(0).get("totalWords").asLong()).isGreaterThan(500_000);
  }

  @Test
  void primes_sameResultForAnyWorkersAndSequential() throws Exception {
    List<JsonNode> results = results("primes", "--limit", "30000000", "--segment", "1000000");

    assertAllEqual(results);
    assertThat(results.get(0).get("count").asLong()).isEqualTo(1_857_859);
    assertThat(results.get(0).get("largest").asLong()).isEqualTo(29_999_999);
  }

  @Test
  void montecarlo_bitIdenticalForAnyWorkersAndWithinFourStandardErrorsOfBlackScholes()
      throws Exception {
    List<JsonNode> results = results("montecarlo", "--paths", "2000000", "--batch", "50000");

    assertAllEqual(results);
    JsonNode r = results.get(0);
    double price = r.get("price").asDouble();
    double stderr = r.get("stderr").asDouble();
    assertThat(r.get("paths").asLong()).isEqualTo(2_000_000);
    assertThat(r.get("blackScholes").asDouble()).isCloseTo(10.450583572185565, within(1e-9));
    assertThat(Math.abs(price - r.get("blackScholes").asDouble())).isLessThan(4 * stderr);
  }

  @Test
  void mandelbrot_samePixelsForAnyWorkersAndSequential() throws Exception {
    Path png = dir.resolve("mandelbrot.png");
    List<JsonNode> results =
        results(
            "mandelbrot",
            "--width",
            "600",
            "--height",
            "400",
            "--tile",
            "64",
            "--max-iter",
            "500",
            "--out",
            png.toString());

    assertAllEqual(results);
    assertThat(results.get(0).get("sha256").asText()).hasSize(64);
    java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(600);
    assertThat(image.getHeight()).isEqualTo(400);
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }
}
