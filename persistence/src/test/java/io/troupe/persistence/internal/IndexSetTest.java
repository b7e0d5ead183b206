package io.troupe.persistence.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link IndexSet}: the choice between ranges and bitmap, and the range helpers, on fixed cases and
 * on random sets of several shapes (fixed seeds, so a failure repeats).
 */
final class IndexSetTest {

  private static BitSet set(int... indices) {
    BitSet set = new BitSet();
    for (int i : indices) {
      set.set(i);
    }
    return set;
  }

  /** The number of runs of consecutive indices, counted without IndexSet. */
  private static int runs(BitSet set) {
    int runs = 0;
    for (int i = set.nextSetBit(0); i >= 0; i = set.nextSetBit(i + 1)) {
      if (i == 0 || !set.get(i - 1)) {
        runs++;
      }
    }
    return runs;
  }

  @Test
  void of_whenTheSetIsOneRun_choosesRanges() {
    BitSet set = new BitSet();
    set.set(1_000, 1_000_000);

    IndexSet compact = IndexSet.of(set);

    assertThat(compact.ranges()).containsExactly(1_000, 1_000_000);
    assertThat(compact.bits()).isNull();
    assertThat(compact.toBitSet()).isEqualTo(set);
  }

  @Test
  void of_whenTheSetIsScattered_choosesTheBitmap() {
    BitSet set = new BitSet();
    for (int i = 0; i < 10_000; i += 2) {
      set.set(i);
    }

    IndexSet compact = IndexSet.of(set);

    assertThat(compact.ranges()).isNull();
    assertThat(compact.bits()).hasSize(10_000 / 8);
    assertThat(compact.toBitSet()).isEqualTo(set);
  }

  @Test
  void of_whenBothFormsAreTheSameSize_choosesRanges() {
    // One run ending at 64: 8 bytes of ranges, 8 bytes of bitmap.
    BitSet set = new BitSet();
    set.set(10, 64);

    assertThat(IndexSet.of(set).ranges()).containsExactly(10, 64);
  }

  @Test
  void of_whenTheSetIsEmpty_isEmptyRanges() {
    IndexSet empty = IndexSet.of(new BitSet());

    assertThat(empty.ranges()).isEmpty();
    assertThat(empty.bits()).isNull();
    assertThat(empty.toBitSet()).isEqualTo(new BitSet());
    assertThat(IndexSet.EMPTY.toBitSet()).isEqualTo(new BitSet());
  }

  @Test
  void ranges_ofIndicesInAnyOrderWithDuplicates_areSortedDisjointPairs() {
    assertThat(IndexSet.ranges(new int[] {7, 3, 4, 9, 3, 8, 0})).containsExactly(0, 1, 3, 5, 7, 10);
    assertThat(IndexSet.ranges(new int[0])).isEmpty();
  }

  @Test
  void addRanges_addsToWhatTheSetHoldsAndReturnsIt() {
    BitSet into = set(0, 5);

    BitSet out = IndexSet.addRanges(new int[] {2, 4, 5, 7}, into);

    assertThat(out).isSameAs(into).isEqualTo(set(0, 2, 3, 5, 6));
  }

  @Test
  void count_addsTheLengthsOfTheRanges() {
    assertThat(IndexSet.count(new int[0])).isZero();
    assertThat(IndexSet.count(new int[] {3, 5, 10, 11})).isEqualTo(3);
    assertThat(IndexSet.count(new int[] {0, 1_000_000})).isEqualTo(1_000_000);
  }

  /** Random sets: runs of random lengths and gaps, scattered indices, dense and sparse. */
  static Stream<Arguments> randomSets() {
    List<Arguments> sets = new ArrayList<>();
    Random random = new Random(17);
    for (int n = 0; n < 200; n++) {
      BitSet set = new BitSet();
      int size = 1 + random.nextInt(n < 100 ? 200 : 20_000);
      String shape;
      switch (n % 4) {
        case 0 -> {
          shape = "runs";
          int maxLength = 1 + random.nextInt(500);
          for (int i = random.nextInt(50); i < size; ) {
            int length = 1 + random.nextInt(maxLength);
            set.set(i, Math.min(size, i + length));
            i += length + 1 + random.nextInt(maxLength);
          }
        }
        case 1 -> {
          shape = "scattered";
          double density = random.nextDouble();
          for (int i = 0; i < size; i++) {
            if (random.nextDouble() < density) {
              set.set(i);
            }
          }
        }
        case 2 -> {
          shape = "sparse";
          for (int k = random.nextInt(20); k > 0; k--) {
            set.set(random.nextInt(size));
          }
        }
        default -> {
          shape = "mostly done";
          set.set(0, size);
          for (int k = random.nextInt(1 + size / 10); k > 0; k--) {
            set.clear(random.nextInt(size));
          }
        }
      }
      sets.add(Arguments.of(shape + " #" + n, set));
    }
    return sets.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("randomSets")
  void of_onRandomSets_roundTripsInTheSmallerForm(String name, BitSet set) {
    IndexSet compact = IndexSet.of(set);

    assertThat(compact.toBitSet()).isEqualTo(set);
    assertThat(compact.ranges() == null).isNotEqualTo(compact.bits() == null);
    long rangeBytes = runs(set) * 8L;
    long bitmapBytes = (set.length() + 7) / 8;
    if (compact.ranges() != null) {
      assertThat(rangeBytes).isLessThanOrEqualTo(bitmapBytes);
    } else {
      assertThat(bitmapBytes).isLessThan(rangeBytes);
      assertThat((long) compact.bits().length).isLessThanOrEqualTo(bitmapBytes);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("randomSets")
  void ranges_onRandomSets_areAscendingDisjointAndCountTheSet(String name, BitSet set) {
    int[] ranges = IndexSet.ranges(set);

    assertThat(ranges.length).isEqualTo(2 * runs(set));
    for (int i = 0; i + 1 < ranges.length; i += 2) {
      assertThat(ranges[i]).isLessThan(ranges[i + 1]);
      if (i + 2 < ranges.length) {
        assertThat(ranges[i + 1]).as("runs neither touch nor overlap").isLessThan(ranges[i + 2]);
      }
    }
    assertThat(IndexSet.count(ranges)).isEqualTo(set.cardinality());
    assertThat(IndexSet.addRanges(ranges, new BitSet())).isEqualTo(set);

    List<Integer> shuffled = new ArrayList<>(set.stream().boxed().toList());
    shuffled.addAll(shuffled.subList(0, shuffled.size() / 3));
    Collections.shuffle(shuffled, new Random(name.hashCode()));
    assertThat(IndexSet.ranges(shuffled.stream().mapToInt(Integer::intValue).toArray()))
        .isEqualTo(ranges);
  }

  @Test
  void addRanges_ofTwoRandomSets_isTheirUnion() {
    Random random = new Random(23);
    for (int n = 0; n < 100; n++) {
      BitSet a = new BitSet();
      BitSet b = new BitSet();
      for (int k = 0; k < 50; k++) {
        int from = random.nextInt(2_000);
        a.set(from, from + random.nextInt(20));
        b.set(random.nextInt(2_000));
      }
      BitSet union = (BitSet) a.clone();
      union.or(b);

      assertThat(IndexSet.addRanges(IndexSet.ranges(b), (BitSet) a.clone())).isEqualTo(union);
    }
  }
}
