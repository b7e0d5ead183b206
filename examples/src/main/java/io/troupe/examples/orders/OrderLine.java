package io.troupe.examples.orders;

import io.troupe.sdk.TroupeMessage;

/**
 * What one order buys: some units of one SKU.
 *
 * @param order the order's number within its job, from 0
 * @param sku the SKU's number, from 0
 * @param units how many units, at least 1
 * @param unitPriceCents the price of one unit, in cents
 */
public record OrderLine(int order, int sku, int units, long unitPriceCents)
    implements TroupeMessage {

  /** Returns what the order costs, in cents. */
  public long amountCents() {
    return units * unitPriceCents;
  }
}
