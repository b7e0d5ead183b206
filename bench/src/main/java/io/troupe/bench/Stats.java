package io.troupe.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The few statistics the report needs: medians, per-round ratios and a geometric mean. */
public final class Stats {

  private Stats() {}

  /**
   * Returns the median; of an even number of values, the mean of the middle two.
   *
   * @param values at least one value
   * @return the median
   * @throws IllegalArgumentException if {@code values} is empty
   */
  public static double median(List<? extends Number> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("the median of no values is undefined");
    }
    List<Double> sorted = new ArrayList<>(values.size());
    for (Number value : values) {
      sorted.add(value.doubleValue());
    }
    Collections.sort(sorted);
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  /**
   * Returns {@code numerators[i] / denominators[i]} for each round {@code i}.
   *
   * @param numerators one time per round
   * @param denominators one time per round, as many as numerators
   * @return the ratios, round by round
   * @throws IllegalArgumentException if the lists differ in length
   */
  public static List<Double> ratios(List<Long> numerators, List<Long> denominators) {
    if (numerators.size() != denominators.size()) {
      throw new IllegalArgumentException(
          "ratios need one pair per round, got "
              + numerators.size()
              + " and "
              + denominators.size());
    }
    List<Double> ratios = new ArrayList<>(numerators.size());
    for (int i = 0; i < numerators.size(); i++) {
      ratios.add((double) numerators.get(i) / denominators.get(i));
    }
    return ratios;
  }

  /**
   * Returns the geometric mean.
   *
   * @param values at least one positive value
   * @return the geometric mean
   * @throws IllegalArgumentException if {@code values} is empty or holds a value that is not
   *     positive
   */
  public static double geometricMean(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("the geometric mean of no values is undefined");
    }
    double logSum = 0;
    for (double value : values) {
      if (!(value > 0)) {
        throw new IllegalArgumentException("geometric mean needs positive values, got " + value);
      }
      logSum += Math.log(value);
    }
    return Math.exp(logSum / values.size());
  }
}
