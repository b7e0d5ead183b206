package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

final class StatsTest {

  @Test
  void median_ofOddCount_isTheMiddleValue() {
    assertThat(Stats.median(List.of(5L, 1L, 3L))).isEqualTo(3.0);
  }

  @Test
  void median_ofEvenCount_isTheMeanOfTheMiddleTwo() {
    assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
  }

  @Test
  void median_ofNothing_throws() {
    assertThatThrownBy(() -> Stats.median(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ratios_ofTwoRoundLists_divideRoundByRound() {
    assertThat(Stats.ratios(List.of(300L, 100L), List.of(100L, 200L))).containsExactly(3.0, 0.5);
  }

  @Test
  void ratios_ofListsOfDifferentLength_throws() {
    assertThatThrownBy(() -> Stats.ratios(List.of(1L), List.of(1L, 2L)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void geometricMean_ofReciprocals_isOne() {
    assertThat(Stats.geometricMean(List.of(2.0, 0.5, 4.0, 0.25))).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void geometricMean_ofNonPositiveValue_throws() {
    assertThatThrownBy(() -> Stats.geometricMean(List.of(1.0, 0.0)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
