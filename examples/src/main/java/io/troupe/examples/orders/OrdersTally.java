package io.troupe.examples.orders;

import io.troupe.sdk.TroupeMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * A partial result of an orders job, and its accumulator: how orders ended (from the workers) and
 * what the inventories and payment gateways recorded (from the job's last step). The lists are
 * multisets; merging concatenates them, so any order of merging gives the same result.
 *
 * @param decided orders and how they ended
 * @param inventories every SKU's inventory audit (empty until the last step)
 * @param payments every gateway's audit (empty until the last step)
 */
public record OrdersTally(
    List<Decided> decided, List<Inventory.Audit> inventories, List<PaymentGateway.Audit> payments)
    implements TroupeMessage {

  /**
   * One order and how it ended.
   *
   * @param order the order's number
   * @param sku the SKU it bought
   * @param units how many units
   * @param status how it ended
   */
  public record Decided(int order, int sku, int units, Order.Status status) {}

  /** Returns an empty, growable tally. */
  static OrdersTally empty() {
    return new OrdersTally(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
  }

  /** Returns an independent, growable copy. */
  OrdersTally copy() {
    return new OrdersTally(
        new ArrayList<>(decided), new ArrayList<>(inventories), new ArrayList<>(payments));
  }

  /**
   * Adds another tally to this one, in place if its lists can grow.
   *
   * @param other the tally to add; not modified
   * @return the merged tally
   */
  OrdersTally add(OrdersTally other) {
    boolean growable =
        decided instanceof ArrayList<Decided>
            && inventories instanceof ArrayList<Inventory.Audit>
            && payments instanceof ArrayList<PaymentGateway.Audit>;
    OrdersTally into = growable ? this : copy();
    into.decided.addAll(other.decided);
    into.inventories.addAll(other.inventories);
    into.payments.addAll(other.payments);
    return into;
  }
}
