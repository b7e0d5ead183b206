package io.troupe.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.actors.TroupeMessage;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * How a job's partial results add up, as the ledger needs it: the pipeline's associative,
 * commutative combine plus the final result.
 *
 * <p>The ledger is the single owner of a job's accumulator: it adds each completed item's partial
 * exactly once, keeps the accumulator in its snapshots and computes the result from it.
 */
public interface JobLogic {

  /** Returns the accumulator of a job with no completed items. */
  TroupeMessage zero();

  /**
   * Adds one partial result to the accumulator.
   *
   * @param accumulator the accumulator so far; may be updated in place and returned
   * @param partial one item's partial result; must not be modified
   * @return the new accumulator
   */
  TroupeMessage merge(TroupeMessage accumulator, TroupeMessage partial);

  /** Returns an independent copy of an accumulator, for a snapshot. */
  TroupeMessage copy(TroupeMessage accumulator);

  /**
   * Computes the job's result.
   *
   * @param accumulator every completed item's partial, merged
   * @param quarantined the items given up on, in the order they were quarantined; the ledger adds
   *     them to an object result as {@code quarantined: [{item, reason}]} unless it has that key
   * @return the result as JSON ({@code result} of {@code troupe run --format json})
   */
  JsonNode result(TroupeMessage accumulator, List<QuarantinedItem> quarantined);

  /**
   * Returns the logic of a job whose partial results are immutable values combined into new ones.
   *
   * <pre>{@code
   * record Sum(long value) implements TroupeMessage {}
   * JobLogic logic = JobLogic.of(
   *     Sum.class, new Sum(0), (a, b) -> new Sum(a.value() + b.value()),
   *     sum -> JsonNodeFactory.instance.objectNode().put("sum", sum.value()));
   * }</pre>
   *
   * @param type the partial result's class
   * @param zero the accumulator of a job with no completed items
   * @param combine adds two partials; associative and commutative, must not modify its arguments
   * @param result turns the accumulator into the job's result
   * @param <A> the partial result type
   * @return the logic
   */
  static <A extends TroupeMessage> JobLogic of(
      Class<A> type, A zero, BinaryOperator<A> combine, Function<A, JsonNode> result) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(zero, "zero");
    Objects.requireNonNull(combine, "combine");
    Objects.requireNonNull(result, "result");
    return new JobLogic() {
      @Override
      public TroupeMessage zero() {
        return zero;
      }

      @Override
      public TroupeMessage merge(TroupeMessage accumulator, TroupeMessage partial) {
        return combine.apply(type.cast(accumulator), type.cast(partial));
      }

      @Override
      public TroupeMessage copy(TroupeMessage accumulator) {
        return accumulator;
      }

      @Override
      public JsonNode result(TroupeMessage accumulator, List<QuarantinedItem> quarantined) {
        return result.apply(type.cast(accumulator));
      }
    };
  }
}
