package io.troupe.sdk;

import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * How a job's partial results add up to its result. {@link #merge} must be associative and
 * commutative: items complete in any order, on any node, and the result must not depend on it.
 *
 * <p>Troupe owns the accumulator: it starts from {@link #zero}, merges each completed item's
 * partial exactly once, keeps {@link #copy copies} in the job's snapshots, and renders {@link
 * #result} as the job's JSON result with Jackson (records, lists, maps and {@code JsonNode}s all
 * work).
 *
 * <pre>{@code
 * record Sum(long value) implements TroupeMessage {}
 * Combiner<Sum> sums = Combiner.of(new Sum(0), (a, b) -> new Sum(a.value() + b.value()));
 * }</pre>
 *
 * @param <A> the partial result type, which is also the accumulator's
 */
public interface Combiner<A> {

  /** Returns the accumulator of a job with no completed items. */
  A zero();

  /**
   * Adds one partial result to the accumulator.
   *
   * @param accumulator the accumulator so far; may be updated in place and returned
   * @param partial one item's partial result; must not be modified
   * @return the new accumulator
   */
  A merge(A accumulator, A partial);

  /**
   * Returns an independent copy of an accumulator, for a snapshot: one that later merges into the
   * original cannot change. An immutable accumulator is its own copy.
   *
   * @param accumulator the accumulator
   * @return the copy
   */
  A copy(A accumulator);

  /**
   * Returns the job's result, which Troupe renders as JSON with Jackson. When the rendering is an
   * object without a {@code quarantined} key and items were quarantined, Troupe adds {@code
   * quarantined: [{item, reason}]}.
   *
   * @param accumulator every completed item's partial, merged
   * @param quarantined the items given up on, in the order they were quarantined
   * @return the result: by default the accumulator itself
   */
  default Object result(A accumulator, List<QuarantinedItem> quarantined) {
    return accumulator;
  }

  /**
   * Returns a combiner of immutable partial results, each merge making a new value; the result is
   * the accumulator itself.
   *
   * @param zero the accumulator of a job with no completed items
   * @param combine adds two partials; associative and commutative; must not modify its arguments
   * @param <A> the partial result type
   * @return the combiner
   */
  static <A> Combiner<A> of(A zero, BinaryOperator<A> combine) {
    return of(zero, combine, a -> a);
  }

  /**
   * Returns a combiner of immutable partial results, each merge making a new value.
   *
   * @param zero the accumulator of a job with no completed items
   * @param combine adds two partials; associative and commutative; must not modify its arguments
   * @param result turns the accumulator into the job's result, rendered as JSON
   * @param <A> the partial result type
   * @return the combiner
   */
  static <A> Combiner<A> of(A zero, BinaryOperator<A> combine, Function<? super A, ?> result) {
    Objects.requireNonNull(zero, "zero");
    Objects.requireNonNull(combine, "combine");
    Objects.requireNonNull(result, "result");
    return new Combiner<>() {
      @Override
      public A zero() {
        return zero;
      }

      @Override
      public A merge(A accumulator, A partial) {
        return combine.apply(accumulator, partial);
      }

      @Override
      public A copy(A accumulator) {
        return accumulator;
      }

      @Override
      public Object result(A accumulator, List<QuarantinedItem> quarantined) {
        return result.apply(accumulator);
      }
    };
  }

  /**
   * Returns a combiner whose accumulator is a mutable container that partials are added into, so a
   * job of n items merges in O(n) rather than copying a growing value n times.
   *
   * @param zero makes an empty accumulator
   * @param addTo adds a partial into the accumulator; must not modify the partial
   * @param copy makes an independent copy of an accumulator
   * @param result turns the accumulator into the job's result, rendered as JSON
   * @param <A> the partial result type
   * @return the combiner
   */
  static <A> Combiner<A> inPlace(
      Supplier<? extends A> zero,
      BiConsumer<? super A, ? super A> addTo,
      UnaryOperator<A> copy,
      Function<? super A, ?> result) {
    Objects.requireNonNull(zero, "zero");
    Objects.requireNonNull(addTo, "addTo");
    Objects.requireNonNull(copy, "copy");
    Objects.requireNonNull(result, "result");
    return new Combiner<>() {
      @Override
      public A zero() {
        return zero.get();
      }

      @Override
      public A merge(A accumulator, A partial) {
        addTo.accept(accumulator, partial);
        return accumulator;
      }

      @Override
      public A copy(A accumulator) {
        return copy.apply(accumulator);
      }

      @Override
      public Object result(A accumulator, List<QuarantinedItem> quarantined) {
        return result.apply(accumulator);
      }
    };
  }
}
