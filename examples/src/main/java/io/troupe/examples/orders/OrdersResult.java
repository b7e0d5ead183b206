package io.troupe.examples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.sdk.QuarantinedItem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns an orders tally into the job's result, and fails it if an invariant is violated. */
final class OrdersResult {

  private OrdersResult() {}

  /**
   * Computes the result: {@code orders}, the counts {@code completed}, {@code rejectedOutOfStock}
   * and {@code compensated}, {@code stockLeft} per SKU and {@code invariants}, each true.
   *
   * @param tally the merged tally, audits included
   * @param o the job's options
   * @param quarantined batches the job gave up on, named in the message of a violation
   * @return the result
   * @throws InvariantViolation if an invariant does not hold
   */
  static JsonNode of(
      OrdersTally tally, OrdersPipeline.Options o, List<QuarantinedItem> quarantined) {
    Invariants.Report report = Invariants.check(tally, o.orders, o.skus, o.stock);
    ObjectNode invariants = JsonNodeFactory.instance.objectNode();
    report.holds().forEach(invariants::put);
    if (!report.allHold()) {
      StringBuilder message =
          new StringBuilder("orders: invariant violated: ")
              .append(report.describe())
              .append("; invariants: ")
              .append(invariants);
      if (!quarantined.isEmpty()) {
        message
            .append("; ")
            .append(quarantined.size())
            .append(" batch(es) were quarantined, first ")
            .append(quarantined.get(0).item())
            .append(": ")
            .append(quarantined.get(0).reason());
      }
      throw new InvariantViolation(message.toString());
    }
    Map<Order.Status, Long> counts = new HashMap<>();
    for (OrdersTally.Decided d : tally.decided()) {
      counts.merge(d.status(), 1L, Long::sum);
    }
    long[] left = new long[o.skus];
    for (Inventory.Audit a : tally.inventories()) {
      left[a.sku()] = a.available();
    }
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("orders", o.orders);
    result.put("completed", counts.getOrDefault(Order.Status.COMPLETED, 0L));
    result.put("rejectedOutOfStock", counts.getOrDefault(Order.Status.REJECTED_OUT_OF_STOCK, 0L));
    result.put("compensated", counts.getOrDefault(Order.Status.COMPENSATED, 0L));
    ObjectNode stockLeft = result.putObject("stockLeft");
    for (int sku = 0; sku < o.skus; sku++) {
      stockLeft.put("sku-" + sku, left[sku]);
    }
    result.set("invariants", invariants);
    return result;
  }
}
