package io.troupe.examples.mandelbrot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.imageio.ImageIO;

/** An RGB image assembled from tiles: its SHA-256 and its PNG. */
final class Image {

  private final int width;
  private final int height;
  private final byte[] rgb;

  Image(int width, int height) {
    this.width = width;
    this.height = height;
    this.rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
  }

  /** Copies a tile's pixels (three bytes each, row by row) into place. */
  void put(int x0, int y0, int w, int h, byte[] tile) {
    if (tile.length != w * h * 3 || x0 + w > width || y0 + h > height) {
      throw new IllegalArgumentException("tile " + x0 + "," + y0 + " does not fit");
    }
    for (int y = 0; y < h; y++) {
      System.arraycopy(tile, y * w * 3, rgb, ((y0 + y) * width + x0) * 3, w * 3);
    }
  }

  /** Returns the SHA-256 of the pixel data (RGB, row by row) in hex. */
  String sha256() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rgb));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Writes the image as a PNG, replacing the file only once it is complete. */
  void writePng(Path out) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int o = (y * width + x) * 3;
        row[x] = (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff);
      }
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    Path dir = out.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".mandelbrot-", ".png.tmp");
    try {
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException("no PNG writer in this JDK");
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
