package io.troupe.bench.savina;

/** Argument checks for workload sizes. */
final class Sizes {

  private Sizes() {}

  /**
   * Checks that a size is at least {@code minimum}.
   *
   * @throws IllegalArgumentException naming the size and the allowed range if it is smaller
   */
  static void requireAtLeast(int minimum, int value, String name) {
    if (value < minimum) {
      throw new IllegalArgumentException(name + " must be >= " + minimum + ", was " + value);
    }
  }
}
