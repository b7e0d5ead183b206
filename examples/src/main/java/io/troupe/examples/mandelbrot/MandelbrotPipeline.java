package io.troupe.examples.mandelbrot;

import io.troupe.sdk.Combiner;
import io.troupe.sdk.Confinement;
import io.troupe.sdk.ItemPlan;
import io.troupe.sdk.JobContext;
import io.troupe.sdk.Pipeline;
import io.troupe.sdk.PipelineOptions;
import io.troupe.sdk.QuarantinedItem;
import io.troupe.sdk.Task;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import io.troupe.sdk.Workers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
public final class MandelbrotPipeline
    implements Pipeline<
        MandelbrotPipeline.Options, MandelbrotPipeline.TileWork, MandelbrotPipeline.Tiles> {

  /** The file written when {@code --out} is not given, in the first output root. */
  static final String DEFAULT_OUT = "mandelbrot.png";

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
            "Where the PNG goes, under the node's output roots (troupe.pipelines.output-roots;"
                + " troupe run: the current directory); default: mandelbrot.png in the first of"
                + " them. A cluster job writes it on the node that runs its coordinator.")
    Path out;

    /** Whether {@link #out} is the default, whose directory (an output root) may be created. */
    boolean defaultOut;
  }

  /** A work item's payload: a tile to render, or a rendered tile to colour. */
  public sealed interface TileWork extends TroupeMessage {}

  /**
   * A {@code render} item: one tile.
   *
   * @param x0 its first column
   * @param y0 its first row
   * @param w its width
   * @param h its height
   */
  public record TileRef(int x0, int y0, int w, int h) implements TileWork {}

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
      implements TileWork {}

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
  public Options newOptions() {
    return new Options();
  }

  @Override
  public void validate(Options o) {
    PipelineOptions.require(
        o.width >= 1 && o.width <= 16_384 && o.height >= 1 && o.height <= 16_384,
        "--width and --height must be between 1 and 16384, were " + o.width + "x" + o.height);
    PipelineOptions.require(
        o.maxIter >= 1 && o.maxIter <= Mandelbrot.MAX_ITER_LIMIT,
        "--max-iter must be between 1 and " + Mandelbrot.MAX_ITER_LIMIT + ", was " + o.maxIter);
    PipelineOptions.require(
        o.tile >= 8 && o.tile <= 1024, "--tile must be between 8 and 1024, was " + o.tile);
    if (o.out == null) {
      List<Path> roots = Confinement.current().outputRoots();
      PipelineOptions.require(
          !roots.isEmpty(),
          "--out: this node has no output root (troupe.pipelines.output-roots or TROUPE_OUTPUT_ROOTS)");
      o.out = roots.get(0).resolve(DEFAULT_OUT);
      o.defaultOut = true;
    }
    PipelineOptions.require(
        o.out.getFileName() != null && o.out.getFileName().toString().endsWith(".png"),
        "--out must name a .png file");
    // Its directory's real path under an output root of this node, never through a link.
    o.out = Confinement.output(o.out, "--out");
  }

  @Override
  public void prepare(Options o) throws IOException {
    Path dir = o.out.getParent();
    if (o.defaultOut && dir != null) {
      java.nio.file.Files.createDirectories(dir); // the node's first output root
    }
    PipelineOptions.require(
        dir == null || java.nio.file.Files.isDirectory(dir),
        name() + ": --out: no such directory: " + dir);
  }

  @Override
  public long planSize(Options o) {
    return ((long) o.width + o.tile - 1) / o.tile * (((long) o.height + o.tile - 1) / o.tile);
  }

  @Override
  public ItemPlan<TileWork> itemPlan(Options o) { // tile i: row i / across, column i % across
    int across = (o.width + o.tile - 1) / o.tile;
    return ItemPlan.indexed(
        (int) planSize(o),
        i -> {
          int x = (i % across) * o.tile;
          int y = (i / across) * o.tile;
          TileRef t =
              new TileRef(x, y, Math.min(o.tile, o.width - x), Math.min(o.tile, o.height - y));
          return WorkItem.of(tileId("render", t), "render", t);
        });
  }

  private static String tileId(String stage, TileRef t) {
    return stage + "-" + t.x0() + "-" + t.y0();
  }

  @Override
  public Behavior<Task<TileWork, Tiles>> worker(JobContext<Options> job) {
    Options o = job.options();
    return Workers.ofTasks(
        task -> {
          if (task.payload() instanceof TileRef tile) {
            // Rendering contributes nothing yet; it hands the counts on to the colour stage.
            task.complete(new Tiles(List.of()), List.of(render(o, tile)));
          } else if (task.payload() instanceof Counted counted) {
            task.complete(colour(o, counted));
          }
        });
  }

  /** Renders a tile: its colour item, with the counts of the tile and its border. */
  static WorkItem<TileWork> render(Options o, TileRef t) {
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
    return WorkItem.of(tileId("colour", t), "colour", next);
  }

  /** Colours a rendered tile. */
  static Tiles colour(Options o, Counted c) {
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
    return new Tiles(List.of(new Coloured(t, rgb)));
  }

  @Override
  public Combiner<Tiles> combiner(Options o) {
    return new Combiner<>() {
      @Override
      public Tiles zero() {
        return new Tiles(new ArrayList<>());
      }

      @Override
      public Tiles merge(Tiles accumulator, Tiles partial) {
        // The accumulator's list grows in place (Troupe owns it and copies it for snapshots).
        accumulator.tiles().addAll(partial.tiles());
        return accumulator;
      }

      @Override
      public Tiles copy(Tiles accumulator) {
        return new Tiles(new ArrayList<>(accumulator.tiles()));
      }

      @Override
      public Object result(Tiles accumulator, List<QuarantinedItem> quarantined) {
        Image image = new Image(o.width, o.height);
        for (Coloured c : accumulator.tiles()) {
          image.put(c.tile().x0(), c.tile().y0(), c.tile().w(), c.tile().h(), c.rgb());
        }
        return written(o, image, !quarantined.isEmpty());
      }
    };
  }

  @Override
  public Optional<Picture> sequential(Options o) {
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
    return Optional.of(written(o, image, false));
  }

  /**
   * The job's result: the PNG written and what it shows.
   *
   * @param width its width in pixels
   * @param height its height in pixels
   * @param maxIter the iteration limit
   * @param sha256 SHA-256 of the RGB pixel data, row by row: the same for any tiling and
   *     parallelism
   * @param out where the PNG was written
   * @param complete false if tiles were quarantined (they are black)
   */
  public record Picture(
      int width, int height, int maxIter, String sha256, String out, boolean complete) {}

  /** Writes the PNG and describes it; a job with quarantined tiles writes them black. */
  private static Picture written(Options o, Image image, boolean incomplete) {
    try {
      image.writePng(o.out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + o.out + ": " + e.getMessage(), e);
    }
    return new Picture(o.width, o.height, o.maxIter, image.sha256(), o.out.toString(), !incomplete);
  }
}
