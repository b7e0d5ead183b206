package io.troupe.examples.mandelbrot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.sdk.Combiner;
import io.troupe.sdk.Confinement;
import io.troupe.sdk.PipelineUsageException;
import io.troupe.sdk.WorkItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two stages over tiles give the same pixels as the whole image at once, whatever the tile size
 * and the order in which tiles complete.
 */
final class MandelbrotPipelineTest {

  @TempDir Path dir;

  private final MandelbrotPipeline pipeline = new MandelbrotPipeline();

  /** Parses under a node's policy whose only output root is the test's directory. */
  private MandelbrotPipeline.Options options(String... args) {
    Confinement node = Confinement.of(List.of(), List.of(dir), List.of());
    return Confinement.within(node, () -> pipeline.parse(List.of(args)));
  }

  /** Runs every item through its stage as the job would, completing tiles in shuffled order. */
  private MandelbrotPipeline.Picture job(MandelbrotPipeline.Options o, long seed) {
    List<WorkItem<MandelbrotPipeline.TileWork>> queue =
        new ArrayList<>(pipeline.itemPlan(o).toList());
    Combiner<MandelbrotPipeline.Tiles> combiner = pipeline.combiner(o);
    MandelbrotPipeline.Tiles acc = combiner.zero();
    Random random = new Random(seed);
    while (!queue.isEmpty()) {
      WorkItem<MandelbrotPipeline.TileWork> item = queue.remove(random.nextInt(queue.size()));
      if (item.payload() instanceof MandelbrotPipeline.TileRef tile) {
        queue.add(MandelbrotPipeline.render(o, tile));
      } else if (item.payload() instanceof MandelbrotPipeline.Counted counted) {
        acc = combiner.merge(acc, MandelbrotPipeline.colour(o, counted));
      }
    }
    return (MandelbrotPipeline.Picture) combiner.result(acc, List.of());
  }

  @ParameterizedTest(name = "{0}x{1}, tile {2}, max-iter {3}")
  @CsvSource({"37, 23, 8, 200", "64, 64, 64, 500", "130, 61, 16, 1000", "1, 1, 8, 50"})
  void tiledJob_equalsTheWholeImage(int width, int height, int tile, int maxIter) throws Exception {
    Path seq = dir.resolve("seq.png");
    Path tiled = dir.resolve("tiled.png");
    String[] common = {"--width", "" + width, "--height", "" + height, "--max-iter", "" + maxIter};
    MandelbrotPipeline.Options reference = options(concat(common, "--out", seq.toString()));
    MandelbrotPipeline.Options o =
        options(concat(common, "--tile", "" + tile, "--out", tiled.toString()));

    MandelbrotPipeline.Picture expected = pipeline.sequential(reference).orElseThrow();
    MandelbrotPipeline.Picture first = job(o, 1);
    MandelbrotPipeline.Picture second = job(o, 2);

    assertThat(first.sha256()).isEqualTo(expected.sha256());
    assertThat(second.sha256()).isEqualTo(expected.sha256());
    assertThat(Files.readAllBytes(tiled)).isEqualTo(Files.readAllBytes(seq));
    assertThat(ImageIO.read(tiled.toFile()).getWidth()).isEqualTo(width);
  }

  @Test
  void plan_coversTheImageWithTilesOfAtMostTheTileSize() {
    MandelbrotPipeline.Options o = options("--width", "300", "--height", "130", "--tile", "128");

    List<WorkItem<MandelbrotPipeline.TileWork>> items = pipeline.itemPlan(o).toList();

    assertThat(items).hasSize(3 * 2);
    long pixels = 0;
    for (WorkItem<MandelbrotPipeline.TileWork> item : items) {
      MandelbrotPipeline.TileRef t = (MandelbrotPipeline.TileRef) item.payload();
      assertThat(t.w()).isBetween(1, 128);
      assertThat(t.h()).isBetween(1, 128);
      pixels += (long) t.w() * t.h();
    }
    assertThat(pixels).isEqualTo(300 * 130);
  }

  @Test
  void kernel_knownPoints() {
    // On a 32x32 image pixels are 0.1 wide: (19, 16) is c = -0.25 + 0.05i, inside the main
    // cardioid; the corner (0, 0) is c = -2.15 - 1.55i, which escapes after one step.
    assertThat(Mandelbrot.iterations(19, 16, 32, 32, 100)).isEqualTo(100);
    assertThat(Mandelbrot.iterations(0, 0, 32, 32, 100)).isEqualTo(1);
  }

  @Test
  void parse_refusesBadOptions() {
    assertThatThrownBy(() -> options("--width", "0"))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageContaining("--width");
    assertThatThrownBy(() -> options("--max-iter", "70000"))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageContaining("--max-iter");
    assertThatThrownBy(() -> options("--out", "picture.jpg"))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageContaining(".png");
    MandelbrotPipeline.Options nowhere =
        options("--out", dir.resolve("missing/dir/m.png").toString());
    assertThatThrownBy(() -> pipeline.prepare(nowhere))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageContaining("no such directory");
  }

  @Test
  void out_outsideTheOutputRoots_isRefusedWithoutNamingIt() throws Exception {
    Path elsewhere = Files.createTempDirectory("mandelbrot-elsewhere");
    try {
      Path evil = elsewhere.resolve("evil.png");
      assertThatThrownBy(() -> options("--out", evil.toString()))
          .isInstanceOf(PipelineUsageException.class)
          .hasMessage(
              "mandelbrot: --out: not under an output root of this node"
                  + " (troupe.pipelines.output-roots or TROUPE_OUTPUT_ROOTS)");
      assertThatThrownBy(() -> options("--out", dir.resolve("../evil.png").toString()))
          .hasMessageContaining("not under an output root");
      Files.createSymbolicLink(dir.resolve("link.png"), evil);
      assertThatThrownBy(() -> options("--out", dir.resolve("link.png").toString()))
          .hasMessageContaining("--out: is a symbolic link");
      assertThat(evil).doesNotExist();
    } finally {
      Files.deleteIfExists(elsewhere.resolve("evil.png"));
      Files.delete(elsewhere);
    }
  }

  @Test
  void out_byDefault_isMandelbrotPngInTheFirstOutputRoot() throws Exception {
    Path root = dir.resolve("not-yet");
    Confinement node = Confinement.of(List.of(), List.of(root, dir), List.of());
    MandelbrotPipeline.Options o =
        Confinement.within(node, () -> pipeline.parse(List.of("--width", "8", "--height", "8")));

    pipeline.prepare(o);
    pipeline.sequential(o);

    assertThat(o.out).isEqualTo(dir.toRealPath().resolve("not-yet/mandelbrot.png"));
    assertThat(o.out).isRegularFile();
  }

  private static String[] concat(String[] head, String... tail) {
    List<String> all = new ArrayList<>(List.of(head));
    Collections.addAll(all, tail);
    return all.toArray(String[]::new);
  }
}
