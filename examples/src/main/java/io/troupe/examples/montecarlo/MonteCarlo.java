package io.troupe.examples.montecarlo;

import java.util.SplittableRandom;

/**
 * Prices a European call under geometric Brownian motion by Monte Carlo: the compute kernel of the
 * montecarlo pipeline, with the Black–Scholes price to check it against.
 *
 * <p>Implementation notes: results must be bit-identical however batches are spread over threads
 * and machines. So batch {@code i} draws from its own generator seeded from {@code (seed, i)}, its
 * paths are summed in order, normals come from Marsaglia's polar method over {@link
 * SplittableRandom#nextDouble()} (both normals of a pair are used, in order), and every
 * transcendental function is {@link StrictMath}'s, whose results are specified to the bit, unlike
 * {@link Math}'s intrinsics. A path whose normal lies clearly below the strike's (by 10^-6, far
 * beyond rounding) pays exactly 0.0 without evaluating {@code exp}; that is the same value the
 * formula gives, only faster.
 */
public final class MonteCarlo {

  /** Spot price of the underlying today. */
  public static final double S0 = 100.0;

  /** Strike price. */
  public static final double K = 100.0;

  /** Risk-free rate, continuously compounded, per year. */
  public static final double R = 0.05;

  /** Volatility, per square root of a year. */
  public static final double SIGMA = 0.2;

  /** Time to maturity in years. */
  public static final double T = 1.0;

  private static final double DRIFT = (R - SIGMA * SIGMA / 2) * T;
  private static final double VOLATILITY = SIGMA * StrictMath.sqrt(T);
  private static final double DISCOUNT = StrictMath.exp(-R * T);

  /** Normals at or below this end out of the money: S_T < K with a wide margin. */
  private static final double WORTHLESS_BELOW =
      (StrictMath.log(K / S0) - DRIFT) / VOLATILITY - 1e-6;

  private static final double BLACK_SCHOLES = blackScholesCall(S0, K, R, SIGMA, T);

  private static final double SQRT_PI = 1.7724538509055160273;
  private static final double TWO_OVER_SQRT_PI = 1.1283791670955125739;
  private static final double SQRT_2 = 1.4142135623730950488;

  private MonteCarlo() {}

  /**
   * The discounted payoffs of one batch of paths.
   *
   * @param index the batch number, which chose its random stream
   * @param paths number of paths
   * @param sum sum of the discounted payoffs, in path order
   * @param sumSquares sum of their squares, in path order
   */
  public record Batch(long index, long paths, double sum, double sumSquares) {

    /** Checks that the index is not negative and there is at least one path. */
    public Batch {
      if (index < 0 || paths < 1) {
        throw new IllegalArgumentException(
            "need index >= 0 and paths >= 1, was index=" + index + " paths=" + paths);
      }
    }
  }

  /**
   * A Monte Carlo price with its error and the exact price.
   *
   * @param price mean discounted payoff
   * @param stderr standard error of the mean: sample standard deviation / sqrt(paths); NaN for a
   *     single path
   * @param paths number of paths
   * @param blackScholes the Black–Scholes price for the same option
   */
  public record Result(double price, double stderr, long paths, double blackScholes) {}

  /**
   * Simulates batch {@code batchIndex} of a run: {@code paths} terminal prices from the stream of
   * {@code (seed, batchIndex)}, discounted payoffs summed in order.
   *
   * @param seed the run's seed
   * @param batchIndex the batch number; not negative
   * @param paths number of paths; at least 1
   * @return the batch's sums
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static Batch batch(long seed, long batchIndex, long paths) {
    if (batchIndex < 0 || paths < 1) {
      throw new IllegalArgumentException(
          "need batchIndex >= 0 and paths >= 1, was batchIndex=" + batchIndex + " paths=" + paths);
    }
    SplittableRandom random = new SplittableRandom(streamSeed(seed, batchIndex));
    double sum = 0;
    double sumSquares = 0;
    for (long left = paths; left > 0; ) {
      double u;
      double v;
      double s;
      do {
        u = 2 * random.nextDouble() - 1;
        v = 2 * random.nextDouble() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s == 0);
      double scale = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
      double payoff = discountedPayoff(u * scale);
      sum += payoff;
      sumSquares += payoff * payoff;
      if (--left > 0) {
        payoff = discountedPayoff(v * scale);
        sum += payoff;
        sumSquares += payoff * payoff;
        left--;
      }
    }
    return new Batch(batchIndex, paths, sum, sumSquares);
  }

  /** Returns exp(-rT) max(S_T - K, 0) for the standard normal draw {@code z}. */
  static double discountedPayoff(double z) {
    if (z <= WORTHLESS_BELOW) {
      return 0.0;
    }
    double terminal = S0 * StrictMath.exp(DRIFT + VOLATILITY * z);
    return DISCOUNT * Math.max(terminal - K, 0.0);
  }

  /**
   * Returns the Black–Scholes price of a European call.
   *
   * @param s0 spot price; positive
   * @param k strike; positive
   * @param r risk-free rate, continuously compounded
   * @param sigma volatility; positive
   * @param t time to maturity; positive
   * @return the price
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static double blackScholesCall(double s0, double k, double r, double sigma, double t) {
    if (!(s0 > 0 && k > 0 && sigma > 0 && t > 0 && Double.isFinite(r))) {
      throw new IllegalArgumentException(
          "need s0, k, sigma and t positive and r finite, was s0="
              + s0
              + " k="
              + k
              + " r="
              + r
              + " sigma="
              + sigma
              + " t="
              + t);
    }
    double volatility = sigma * StrictMath.sqrt(t);
    double d1 = (StrictMath.log(s0 / k) + (r + sigma * sigma / 2) * t) / volatility;
    double d2 = d1 - volatility;
    return s0 * normalCdf(d1) - k * StrictMath.exp(-r * t) * normalCdf(d2);
  }

  /**
   * Returns the standard normal distribution function Phi(x), with absolute error below 10^-15; in
   * the lower tail the relative error stays near 10^-15 (10^-13 at x = -37, where Phi is 10^-300).
   *
   * @param x any number
   * @return P(Z <= x) for a standard normal Z; NaN for NaN
   */
  public static double normalCdf(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    double tail = 0.5 * erfc(Math.abs(x) / SQRT_2); // P(Z > |x|)
    return x >= 0 ? 1 - tail : tail;
  }

  /** Returns the result for {@code paths} payoffs with the given sums. */
  static Result result(long paths, double sum, double sumSquares) {
    double mean = sum / paths;
    double stderr =
        paths > 1
            ? StrictMath.sqrt(Math.max(0.0, (sumSquares - sum * mean) / (paths - 1)) / paths)
            : Double.NaN;
    return new Result(mean, stderr, paths, BLACK_SCHOLES);
  }

  /** Returns the seed of batch {@code batchIndex}'s generator: both inputs through a mixer. */
  static long streamSeed(long seed, long batchIndex) {
    return mix64(mix64(seed) + 0x9E3779B97F4A7C15L * (batchIndex + 1));
  }

  /** The SplitMix64 finalizer (Stafford's variant 13): a bijection with good avalanche. */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Returns erfc(z) for z >= 0. */
  static double erfc(double z) {
    // Below 1, erfc >= 0.157 so 1 - erf keeps full relative precision; from 1 on, the continued
    // fraction converges (within 200 terms) and keeps it in the far tail too.
    if (z < 1) {
      return 1 - erfSeries(z);
    }
    return z < 30 ? erfcContinuedFraction(z) : 0.0; // erfc(30) < 1e-392 underflows anyway
  }

  /**
   * erf(z) = 2/sqrt(pi) exp(-z²) sum_n (2z²)^n z / (1·3·…·(2n+1)), for z >= 0: all terms are
   * positive, so the sum suffers no cancellation.
   */
  private static double erfSeries(double z) {
    double z2 = z * z;
    double term = z;
    double sum = z;
    for (int n = 1; n < 500 && term > sum * 1e-17; n++) {
      term *= 2 * z2 / (2 * n + 1);
      sum += term;
    }
    return TWO_OVER_SQRT_PI * StrictMath.exp(-z2) * sum;
  }

  /**
   * erfc(z) = exp(-z²)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + …)))) for z >= 1, evaluated by
   * the modified Lentz method.
   */
  private static double erfcContinuedFraction(double z) {
    final double tiny = 1e-300;
    double f = z;
    double c = z;
    double d = 0;
    for (int k = 1; k < 1000; k++) {
      double a = k * 0.5;
      d = z + a * d;
      d = 1 / (d == 0 ? tiny : d);
      c = z + a / c;
      if (c == 0) {
        c = tiny;
      }
      double delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) {
        break;
      }
    }
    return StrictMath.exp(-z * z) / (SQRT_PI * f);
  }
}
