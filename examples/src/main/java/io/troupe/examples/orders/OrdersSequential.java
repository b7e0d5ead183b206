package io.troupe.examples.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The orders job in plain single-threaded Java: the same orders, one at a time, against in-memory
 * stock and payments, with no latency. It produces the tally the entities' audits would give for
 * that order of events, so the result (and its invariant check) is computed by the same code.
 *
 * <p>With ample stock (no order ever finds its SKU short) every order's outcome depends only on the
 * seed, so a job's result equals this one exactly. With scarce stock, which orders get the last
 * units depends on the order in which they reach the inventory; a job then legitimately differs
 * from this reference in its counts, while its invariants still hold.
 */
final class OrdersSequential {

  private OrdersSequential() {}

  /**
   * Runs every order in turn.
   *
   * @param o the options
   * @return the tally, with audits of every SKU and gateway
   */
  static OrdersTally run(OrdersPipeline.Options o) {
    Terms terms = o.terms();
    long[] available = new long[o.skus];
    long[] min = new long[o.skus];
    List<List<Integer>> committed = new ArrayList<>();
    List<List<Integer>> released = new ArrayList<>();
    for (int sku = 0; sku < o.skus; sku++) {
      available[sku] = o.stock;
      min[sku] = o.stock;
      committed.add(new ArrayList<>());
      released.add(new ArrayList<>());
    }
    List<Map<Integer, Integer>> charges = new ArrayList<>();
    List<List<Integer>> declined = new ArrayList<>();
    long[] chargedCents = new long[o.gateways];
    for (int g = 0; g < o.gateways; g++) {
      charges.add(new TreeMap<>());
      declined.add(new ArrayList<>());
    }
    OrdersTally tally = OrdersTally.empty();
    for (int order = 0; order < o.orders; order++) {
      OrderLine line = Catalog.line(o.seed, order, o.skus);
      int sku = line.sku();
      Order.Status status;
      if (line.units() > available[sku]) {
        status = Order.Status.REJECTED_OUT_OF_STOCK;
      } else {
        available[sku] -= line.units();
        min[sku] = Math.min(min[sku], available[sku]);
        int g = terms.gatewayOf(order);
        if (Catalog.declined(o.seed, order, o.paymentFailureRate)) {
          declined.get(g).add(order);
          available[sku] += line.units();
          released.get(sku).add(order);
          status = Order.Status.COMPENSATED;
        } else {
          charges.get(g).put(order, 1);
          chargedCents[g] += line.amountCents();
          committed.get(sku).add(order);
          status = Order.Status.COMPLETED;
        }
      }
      tally.decided().add(new OrdersTally.Decided(order, sku, line.units(), status));
    }
    for (int sku = 0; sku < o.skus; sku++) {
      tally
          .inventories()
          .add(
              new Inventory.Audit(
                  sku,
                  o.stock,
                  available[sku],
                  min[sku],
                  committed.get(sku),
                  released.get(sku),
                  List.of()));
    }
    for (int g = 0; g < o.gateways; g++) {
      tally
          .payments()
          .add(new PaymentGateway.Audit(g, charges.get(g), declined.get(g), chargedCents[g]));
    }
    return tally;
  }
}
