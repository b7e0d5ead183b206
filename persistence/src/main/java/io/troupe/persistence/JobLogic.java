package io.troupe.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.actors.TroupeMessage;
import java.util.List;

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
}
