package io.troupe.examples.orders;

import java.util.SplittableRandom;

/**
 * The deterministic parts of the simulation: which SKU and how many units each order buys, at what
 * price, and whether its payment is declined. Each is a function of the job's seed and the order's
 * number alone, so any node, any re-delivery and {@code --sequential} agree.
 */
final class Catalog {

  /** Most units one order buys. */
  static final int MAX_UNITS = 3;

  private static final long LINE_SALT = 0x4F52_4445_5253L; // "ORDERS"
  private static final long DECLINE_SALT = 0x4445_434C_494EL; // "DECLIN"

  private Catalog() {}

  /**
   * Returns the line of an order: a uniformly drawn SKU and 1 to {@link #MAX_UNITS} units.
   *
   * @param seed the job's seed
   * @param order the order's number
   * @param skus how many SKUs there are
   * @return the line
   */
  static OrderLine line(long seed, int order, int skus) {
    SplittableRandom random = new SplittableRandom(mix(seed, order, LINE_SALT));
    int sku = random.nextInt(skus);
    int units = 1 + random.nextInt(MAX_UNITS);
    return new OrderLine(order, sku, units, unitPriceCents(sku));
  }

  /** Returns the price of one unit of a SKU, in cents (1.99 to 99.98). */
  static long unitPriceCents(int sku) {
    return 199 + Math.floorMod(sku * 7_919L, 9_800L);
  }

  /**
   * Returns whether the payment of an order is declined: a uniform draw from (seed, order) below
   * the failure rate.
   *
   * @param seed the job's seed
   * @param order the order's number
   * @param rate the share of declined payments, in [0, 1]
   * @return true if declined
   */
  static boolean declined(long seed, int order, double rate) {
    if (rate <= 0) {
      return false;
    }
    if (rate >= 1) {
      return true;
    }
    return new SplittableRandom(mix(seed, order, DECLINE_SALT)).nextDouble() < rate;
  }

  /** A well-mixed seed for one order (the finaliser of SplitMix64). */
  private static long mix(long seed, int order, long salt) {
    long z = seed * 0x9E37_79B9_7F4A_7C15L + order * 0xBF58_476D_1CE4_E5B9L + salt;
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }
}
