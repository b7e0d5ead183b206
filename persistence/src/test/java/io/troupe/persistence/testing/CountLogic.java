package io.troupe.persistence.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.actors.TroupeMessage;
import io.troupe.persistence.JobLogic;
import io.troupe.persistence.JobSpec;
import io.troupe.persistence.QuarantinedItem;
import java.util.List;
import java.util.function.Function;

/** A job logic for tests: each item's partial is a number; the result is their sum. */
public final class CountLogic implements JobLogic {

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
  public static final Function<JobSpec, JobLogic> RESOLVER = spec -> new CountLogic();

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
  public JsonNode result(TroupeMessage accumulator, List<QuarantinedItem> quarantined) {
    Count c = (Count) accumulator;
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("sum", c.sum());
    node.put("items", c.items());
    return node;
  }
}
