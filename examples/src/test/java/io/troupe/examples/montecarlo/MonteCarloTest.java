package io.troupe.examples.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class MonteCarloTest {

  @Test
  void blackScholesCall_fixedParameters_matchesKnownPrice() {
    assertThat(MonteCarlo.blackScholesCall(100, 100, 0.05, 0.2, 1))
        .isCloseTo(10.450583572185565, within(1e-12));
  }

  @Test
  void blackScholesCall_deepInAndOutOfTheMoney_approachesBounds() {
    double discountedStrike = 100 * Math.exp(-0.05);
    assertThat(MonteCarlo.blackScholesCall(1000, 100, 0.05, 0.2, 1))
        .isCloseTo(1000 - discountedStrike, within(1e-9));
    assertThat(MonteCarlo.blackScholesCall(10, 100, 0.05, 0.2, 1)).isBetween(0.0, 1e-20);
  }

  @Test
  void blackScholesCall_putCallParity_holds() {
    // C - P = S - K e^{-rT}, with P priced by symmetry as K e^{-rT} Phi(-d2) - S Phi(-d1).
    double s = 95;
    double k = 105;
    double r = 0.03;
    double sigma = 0.35;
    double t = 2;
    double v = sigma * Math.sqrt(t);
    double d1 = (Math.log(s / k) + (r + sigma * sigma / 2) * t) / v;
    double put =
        k * Math.exp(-r * t) * MonteCarlo.normalCdf(-(d1 - v)) - s * MonteCarlo.normalCdf(-d1);
    assertThat(MonteCarlo.blackScholesCall(s, k, r, sigma, t) - put)
        .isCloseTo(s - k * Math.exp(-r * t), within(1e-12));
  }

  @Test
  void blackScholesCall_invalidParameters_throw() {
    assertThatThrownBy(() -> MonteCarlo.blackScholesCall(0, 100, 0.05, 0.2, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MonteCarlo.blackScholesCall(100, 100, 0.05, -0.2, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MonteCarlo.blackScholesCall(100, 100, Double.NaN, 0.2, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Reference values from an independent erfc implementation (CPython's math.erfc). */
  @ParameterizedTest
  @CsvSource({
    "0, 0.5",
    "0.15, 0.5596176923702425",
    "0.35, 0.636830651175619",
    "0.5, 0.6914624612740131",
    "1, 0.8413447460685429",
    "-1, 0.15865525393145707",
    "1.96, 0.9750021048517795",
    "-1.96, 0.024997895148220435",
    "2.5, 0.9937903346742238",
    "-2.5, 0.006209665325776139",
    "3, 0.9986501019683699",
    "-3, 0.0013498980316300957",
    "1.4142, 0.9213484060057744",
    "-1.4142, 0.07865159399422555",
    "-4.125, 1.853673784620199e-05",
    "4.2426, 0.999988952748163",
    "5, 0.9999997133484281",
    "-5, 2.866515718791946e-07",
    "-8, 6.220960574271819e-16",
    "-10, 7.619853024160593e-24",
    "-20, 2.7536241186063314e-89",
    "-37, 5.725571222525139e-300"
  })
  void normalCdf_knownPoints_matchToFullPrecision(double x, double expected) {
    double actual = MonteCarlo.normalCdf(x);
    assertThat(actual).isCloseTo(expected, within(1e-15));
    if (x < 0) {
      assertThat(actual).isCloseTo(expected, within(expected * (x < -30 ? 2e-13 : 1e-14)));
    }
  }

  @Test
  void normalCdf_acrossTheRange_isSymmetricMonotoneAndContinuous() {
    double previous = 0;
    for (double x = -40; x <= 40; x += 1.0 / 1024) {
      double p = MonteCarlo.normalCdf(x);
      assertThat(p).isGreaterThanOrEqualTo(previous);
      assertThat(p + MonteCarlo.normalCdf(-x)).isCloseTo(1.0, within(2e-16));
      previous = p;
    }
    // Either side of the switch between series and continued fraction at |x| = sqrt 2.
    double edge = Math.sqrt(2);
    double inside = MonteCarlo.normalCdf(-Math.nextDown(edge));
    double outside = MonteCarlo.normalCdf(-Math.nextUp(edge));
    assertThat(inside).isCloseTo(outside, within(outside * 1e-14));
    assertThat(MonteCarlo.normalCdf(Double.NaN)).isNaN();
    assertThat(MonteCarlo.normalCdf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
    assertThat(MonteCarlo.normalCdf(Double.NEGATIVE_INFINITY)).isEqualTo(0.0);
  }

  @Test
  void discountedPayoff_anyNormal_equalsTheFullFormula() {
    // The kernel skips exp() far enough below the strike; check that this never changes a bit.
    Random random = new Random(51);
    double zStrike = (Math.log(MonteCarlo.K / MonteCarlo.S0) - 0.03) / 0.2;
    for (int i = 0; i < 200_000; i++) {
      double z =
          i % 2 == 0 ? zStrike + (random.nextDouble() - 0.5) * 1e-5 : random.nextGaussian() * 3;
      double terminal =
          MonteCarlo.S0
              * StrictMath.exp(
                  (MonteCarlo.R - MonteCarlo.SIGMA * MonteCarlo.SIGMA / 2) * MonteCarlo.T
                      + MonteCarlo.SIGMA * StrictMath.sqrt(MonteCarlo.T) * z);
      double expected =
          StrictMath.exp(-MonteCarlo.R * MonteCarlo.T) * Math.max(terminal - MonteCarlo.K, 0.0);

      assertThat(Double.doubleToRawLongBits(MonteCarlo.discountedPayoff(z)))
          .as("z = %s", z)
          .isEqualTo(Double.doubleToRawLongBits(expected));
    }
  }

  @Test
  void batch_sameArguments_isBitIdentical() {
    MonteCarlo.Batch first = MonteCarlo.batch(7, 3, 10_001);
    MonteCarlo.Batch second = MonteCarlo.batch(7, 3, 10_001);

    assertThat(Double.doubleToRawLongBits(second.sum()))
        .isEqualTo(Double.doubleToRawLongBits(first.sum()));
    assertThat(Double.doubleToRawLongBits(second.sumSquares()))
        .isEqualTo(Double.doubleToRawLongBits(first.sumSquares()));
    assertThat(second).isEqualTo(first);
    assertThat(first.index()).isEqualTo(3);
    assertThat(first.paths()).isEqualTo(10_001);
  }

  @Test
  void batch_otherIndexOrSeed_drawsOtherPaths() {
    MonteCarlo.Batch batch = MonteCarlo.batch(7, 3, 1000);

    assertThat(MonteCarlo.batch(7, 4, 1000).sum()).isNotEqualTo(batch.sum());
    assertThat(MonteCarlo.batch(8, 3, 1000).sum()).isNotEqualTo(batch.sum());
    assertThat(MonteCarlo.streamSeed(0, 1)).isNotEqualTo(MonteCarlo.streamSeed(1, 0));
  }

  @Test
  void batch_prefixOfPaths_isPrefixOfSums() {
    // Paths are drawn in order, so a batch of n paths starts like a batch of n + k paths.
    MonteCarlo.Batch small = MonteCarlo.batch(9, 0, 1);
    MonteCarlo.Batch larger = MonteCarlo.batch(9, 0, 2);
    assertThat(larger.sum()).isGreaterThanOrEqualTo(small.sum());
    assertThat(larger.sumSquares()).isGreaterThanOrEqualTo(small.sumSquares());
  }

  @Test
  void batch_invalidArguments_throw() {
    assertThatThrownBy(() -> MonteCarlo.batch(1, -1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MonteCarlo.batch(1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
