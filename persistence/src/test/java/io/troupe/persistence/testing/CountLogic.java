package io.troupe.persistence.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.persistence.JobSpec;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.QuarantinedItem;
import io.troupe.sdk.TroupeMessage;
import java.util.List;
import java.util.function.Function;

/** A combiner for tests: each item's partial is a number; the result is their sum. */
public final class CountLogic implements Combiner<TroupeMessage> {

  /**
   * A partial result or accumulator: a sum of numbers and how many were added.
   *
   * @param sum the sum
   * @param items how many partials went into it
   */
  public record Count(long sum, long items) implements TroupeMessage {}

  /**
   * An item's payload: the number it contributes.
   *
   * @param value the number
   */
  public record Value(long value) implements TroupeMessage {}

  /** Resolves every spec to this logic. */
  public static final Function<JobSpec, Combiner<TroupeMessage>> RESOLVER =
      spec -> new CountLogic();

  @Override
  public TroupeMessage zero() {
    return new Count(0, 0);
  }

  @Override
  public TroupeMessage merge(TroupeMessage accumulator, TroupeMessage partial) {
    Count a = (Count) accumulator;
    Count p = (Count) partial;
    return new Count(a.sum() + p.sum(), a.items() + p.items());
  }

  @Override
  public TroupeMessage copy(TroupeMessage accumulator) {
    return accumulator;
  }

  @Override
  public Object result(TroupeMessage accumulator, List<QuarantinedItem> quarantined) {
    Count c = (Count) accumulator;
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("sum", c.sum());
    node.put("items", c.items());
    return node;
  }
}
