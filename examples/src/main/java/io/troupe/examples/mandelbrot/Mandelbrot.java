package io.troupe.examples.mandelbrot;

/**
 * The mandelbrot kernel, shared by the job's workers and the sequential reference: escape-time
 * iteration counts, a 3×3 smoothing of them (the stage that needs neighbouring pixels) and a
 * palette.
 *
 * <p>Every value depends only on the pixel's coordinates and the image's size, never on how the
 * image is cut into tiles, so any tiling and any parallelism give the same bytes. The view is
 * fixed: x from -2.2 to 1.0 across the width, y centred on 0 with square pixels.
 */
public final class Mandelbrot {

  /** Largest {@code --max-iter}: iteration counts are stored in two bytes. */
  public static final int MAX_ITER_LIMIT = 65_535;

  private static final double X_MIN = -2.2;
  private static final double X_SPAN = 3.2;

  private Mandelbrot() {}

  /**
   * Computes the escape-time iteration count of one pixel.
   *
   * @param px the pixel's column
   * @param py the pixel's row
   * @param width the image's width
   * @param height the image's height
   * @param maxIter the iteration limit; a pixel that does not escape gets this value
   * @return iterations until |z| > 2, at most {@code maxIter}
   */
  public static int iterations(int px, int py, int width, int height, int maxIter) {
    double step = X_SPAN / width;
    double cx = X_MIN + (px + 0.5) * step;
    double cy = (py + 0.5 - height / 2.0) * step;
    double x = 0;
    double y = 0;
    int i = 0;
    while (i < maxIter) {
      double xx = x * x;
      double yy = y * y;
      if (xx + yy > 4.0) {
        break;
      }
      y = 2 * x * y + cy;
      x = xx - yy + cx;
      i++;
    }
    return i;
  }

  /**
   * Computes the iteration counts of a rectangle of the image, row by row.
   *
   * @return {@code w * h} counts
   */
  public static int[] iterations(int x0, int y0, int w, int h, int width, int height, int maxIter) {
    int[] out = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        out[y * w + x] = iterations(x0 + x, y0 + y, width, height, maxIter);
      }
    }
    return out;
  }

  /**
   * Colours a rectangle from iteration counts that cover it plus its neighbours: each pixel's count
   * is averaged with those of its in-image 3×3 neighbourhood, then mapped to a colour.
   *
   * @param counts iteration counts of the area {@code (ax, ay, aw, ah)}, row by row
   * @param ax the area's first column
   * @param ay the area's first row
   * @param aw the area's width
   * @param ah the area's height
   * @param x0 the first column to colour; the area must hold its neighbours inside the image
   * @param y0 the first row to colour
   * @param w how many columns
   * @param h how many rows
   * @param width the image's width
   * @param height the image's height
   * @param maxIter the iteration limit
   * @return {@code w * h * 3} bytes, RGB, row by row
   */
  public static byte[] colour(
      int[] counts,
      int ax,
      int ay,
      int aw,
      int ah,
      int x0,
      int y0,
      int w,
      int h,
      int width,
      int height,
      int maxIter) {
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      int py = y0 + y;
      for (int x = 0; x < w; x++) {
        int px = x0 + x;
        long sum = 0;
        int n = 0;
        for (int ny = Math.max(0, py - 1); ny <= Math.min(height - 1, py + 1); ny++) {
          for (int nx = Math.max(0, px - 1); nx <= Math.min(width - 1, px + 1); nx++) {
            sum += counts[(ny - ay) * aw + (nx - ax)];
            n++;
          }
        }
        int centre = counts[(py - ay) * aw + (px - ax)];
        int o = (y * w + x) * 3;
        palette(centre, sum, n, maxIter, rgb, o);
      }
    }
    return rgb;
  }

  /** Black inside the set; outside, a blue gradient of the smoothed count, whitening near it. */
  private static void palette(int centre, long sum, int n, int maxIter, byte[] rgb, int o) {
    if (centre >= maxIter) {
      return; // black
    }
    // The log of the mean count, relative to the log of maxIter, spreads the bands near the set.
    // StrictMath, not Math: its results are specified to the bit, so every JVM gives the same.
    double mean = (double) sum / n;
    double t = StrictMath.log1p(mean) / StrictMath.log1p(maxIter); // 0..1
    int shade = (int) (t * 1023);
    rgb[o] = (byte) Math.min(255, shade * shade / 2048);
    rgb[o + 1] = (byte) Math.min(255, shade / 3);
    rgb[o + 2] = (byte) Math.min(255, 40 + shade / 3);
  }
}
