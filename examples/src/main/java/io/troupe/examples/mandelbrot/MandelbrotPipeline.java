package io.troupe.examples.mandelbrot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.troupe.actors.TroupeMessage;
import io.troupe.actors.Work;
import io.troupe.actors.Workers;
import io.troupe.cluster.ItemResult;
import io.troupe.cluster.Pipeline;
import io.troupe.examples.PipelineOptions;
import io.troupe.persistence.JobLogic;
import io.troupe.persistence.QuarantinedItem;
import io.troupe.persistence.WorkItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import picocli.CommandLine.Option;

/**
 * An image pipeline in two stages: {@code render} computes the escape-time counts of a tile (with a
 * one-pixel border of its neighbours) and hands them on as a new item to {@code colour}, which
 * smooths each pixel over its 3×3 neighbourhood and maps it to a colour. Both stages run at once on
 * the same workers, and the job's bounded in-flight credit keeps rendering from running ahead of
 * colouring. The coloured tiles are assembled into a PNG; {@code sha256} of the RGB pixel data is
 * identical for any tiling and parallelism, and equal to {@code --sequential}.
 */
public final class MandelbrotPipeline implements Pipeline<MandelbrotPipeline.Options> {

  /** The options of mandelbrot. */
  public static final class Options {
    @Option(names = "--width", paramLabel = "PX", description = "Image width (default 1024).")
    int width = 1024;

    @Option(names = "--height", paramLabel = "PX", description = "Image height (default 1024).")
    int height = 1024;

    @Option(
        names = "--max-iter",
        paramLabel = "N",
        description = "Iterations before a point counts as inside the set (default 1000).")
    int maxIter = 1000;

    @Option(names = "--tile", paramLabel = "PX", description = "Tile side (default 128).")
    int tile = 128;

    @Option(
        names = "--out",
        paramLabel = "FILE.png",
        description =
            "Where the PNG goes (default mandelbrot.png; a cluster job writes it on the"
                + " node that runs its coordinator).")
    Path out = Path.of("mandelbrot.png");
  }

  /**
   * A {@code render} item: one tile.
   *
   * @param x0 its first column
   * @param y0 its first row
   * @param w its width
   * @param h its height
   */
  public record TileRef(int x0, int y0, int w, int h) implements TroupeMessage {}

  /**
   * A {@code colour} item: a tile and the iteration counts of it and its border.
   *
   * @param tile the tile to colour
   * @param ax the first column of the counted area
   * @param ay its first row
   * @param aw its width
   * @param ah its height
   * @param counts the counts, two bytes each (big-endian, unsigned), row by row
   */
  public record Counted(TileRef tile, int ax, int ay, int aw, int ah, byte[] counts)
      implements TroupeMessage {}

  /**
   * A coloured tile.
   *
   * @param tile where it goes
   * @param rgb its pixels, three bytes each, row by row
   */
  public record Coloured(TileRef tile, byte[] rgb) {}

  /**
   * A partial result and the job's accumulator: coloured tiles.
   *
   * @param tiles the tiles; the accumulator's list grows in place
   */
  public record Tiles(List<Coloured> tiles) implements TroupeMessage {}

  @Override
  public String name() {
    return "mandelbrot";
  }

  @Override
  public String description() {
    return "renders the Mandelbrot set to a PNG in tiles, in two stages (image pipeline)";
  }

  @Override
  public String usage() {
    return PipelineOptions.usage(Options::new);
  }

  @Override
  public Options parse(List<String> args) {
    Options o = PipelineOptions.parse(name(), Options::new, args);
    PipelineOptions.require(
        o.width >= 1 && o.width <= 16_384 && o.height >= 1 && o.height <= 16_384,
        name(),
        "--width and --height must be between 1 and 16384, were " + o.width + "x" + o.height);
    PipelineOptions.require(
        o.maxIter >= 1 && o.maxIter <= Mandelbrot.MAX_ITER_LIMIT,
        name(),
        "--max-iter must be between 1 and " + Mandelbrot.MAX_ITER_LIMIT + ", was " + o.maxIter);
    PipelineOptions.require(
        o.tile >= 8 && o.tile <= 1024, name(), "--tile must be between 8 and 1024, was " + o.tile);
    PipelineOptions.require(
        o.out.getFileName() != null && o.out.getFileName().toString().endsWith(".png"),
        name(),
        "--out must name a .png file, was " + o.out);
    o.out = o.out.toAbsolutePath().normalize();
    return o;
  }

  @Override
  public void prepare(Options o) {
    Path dir = o.out.getParent();
    PipelineOptions.require(
        dir == null || java.nio.file.Files.isDirectory(dir),
        name(),
        "--out: no such directory: " + dir);
  }

  @Override
  public long planSize(Options o) {
    return ((long) o.width + o.tile - 1) / o.tile * (((long) o.height + o.tile - 1) / o.tile);
  }

  @Override
  public List<WorkItem> plan(Options o) {
    List<WorkItem> items = new ArrayList<>();
    for (int y = 0; y < o.height; y += o.tile) {
      for (int x = 0; x < o.width; x += o.tile) {
        TileRef t =
            new TileRef(x, y, Math.min(o.tile, o.width - x), Math.min(o.tile, o.height - y));
        items.add(new WorkItem(tileId("render", t), "render", t));
      }
    }
    return items;
  }

  private static String tileId(String stage, TileRef t) {
    return stage + "-" + t.x0() + "-" + t.y0();
  }

  @Override
  public Behavior<Work<WorkItem, ItemResult>> worker(Options o) {
    return Workers.fromFunction(
        item ->
            switch (item.stage()) {
              case "render" -> render(o, (TileRef) item.payload());
              case "colour" -> colour(o, (Counted) item.payload());
              default -> throw new IllegalArgumentException("unknown stage " + item.stage());
            });
  }

  static ItemResult render(Options o, TileRef t) {
    int ax = Math.max(0, t.x0() - 1);
    int ay = Math.max(0, t.y0() - 1);
    int aw = Math.min(o.width, t.x0() + t.w() + 1) - ax;
    int ah = Math.min(o.height, t.y0() + t.h() + 1) - ay;
    int[] counts = Mandelbrot.iterations(ax, ay, aw, ah, o.width, o.height, o.maxIter);
    ByteBuffer packed = ByteBuffer.allocate(counts.length * 2);
    for (int c : counts) {
      packed.putShort((short) c);
    }
    Counted next = new Counted(t, ax, ay, aw, ah, packed.array());
    return new ItemResult(
        new Tiles(List.of()), List.of(new WorkItem(tileId("colour", t), "colour", next)));
  }

  static ItemResult colour(Options o, Counted c) {
    ByteBuffer packed = ByteBuffer.wrap(c.counts());
    int[] counts = new int[c.aw() * c.ah()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = Short.toUnsignedInt(packed.getShort());
    }
    TileRef t = c.tile();
    byte[] rgb =
        Mandelbrot.colour(
            counts, c.ax(), c.ay(), c.aw(), c.ah(), t.x0(), t.y0(), t.w(), t.h(), o.width, o.height,
            o.maxIter);
    return ItemResult.of(new Tiles(List.of(new Coloured(t, rgb))));
  }

  @Override
  public JobLogic logic(Options o) {
    return new JobLogic() {
      @Override
      public TroupeMessage zero() {
        return new Tiles(new ArrayList<>());
      }

      @Override
      public TroupeMessage merge(TroupeMessage accumulator, TroupeMessage partial) {
        List<Coloured> tiles = ((Tiles) accumulator).tiles();
        Tiles growing =
            tiles instanceof ArrayList<Coloured>
                ? (Tiles) accumulator
                : new Tiles(new ArrayList<>(tiles));
        growing.tiles().addAll(((Tiles) partial).tiles());
        return growing;
      }

      @Override
      public TroupeMessage copy(TroupeMessage accumulator) {
        return new Tiles(new ArrayList<>(((Tiles) accumulator).tiles()));
      }

      @Override
      public JsonNode result(TroupeMessage accumulator, List<QuarantinedItem> quarantined) {
        Image image = new Image(o.width, o.height);
        for (Coloured c : ((Tiles) accumulator).tiles()) {
          image.put(c.tile().x0(), c.tile().y0(), c.tile().w(), c.tile().h(), c.rgb());
        }
        return written(o, image, !quarantined.isEmpty());
      }
    };
  }

  @Override
  public JsonNode sequential(Options o) {
    int[] counts = Mandelbrot.iterations(0, 0, o.width, o.height, o.width, o.height, o.maxIter);
    Image image = new Image(o.width, o.height);
    image.put(
        0,
        0,
        o.width,
        o.height,
        Mandelbrot.colour(
            counts, 0, 0, o.width, o.height, 0, 0, o.width, o.height, o.width, o.height,
            o.maxIter));
    return written(o, image, false);
  }

  /** Writes the PNG and describes it; a job with quarantined tiles writes them black. */
  private static JsonNode written(Options o, Image image, boolean incomplete) {
    try {
      image.writePng(o.out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + o.out + ": " + e.getMessage(), e);
    }
    return JsonNodeFactory.instance
        .objectNode()
        .put("width", o.width)
        .put("height", o.height)
        .put("maxIter", o.maxIter)
        .put("sha256", image.sha256())
        .put("out", o.out.toString())
        .put("complete", !incomplete);
  }
}
