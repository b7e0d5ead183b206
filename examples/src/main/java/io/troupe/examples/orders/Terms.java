package io.troupe.examples.orders;

import io.troupe.sdk.TroupeMessage;

/**
 * What the entities of one orders job need to know about it: the stock each SKU starts with and how
 * the simulated payment gateways behave. It travels with the commands (and is kept in an order's
 * first event), because sharded entities are created knowing only their id.
 *
 * @param stock units of every SKU before the first order
 * @param gateways how many payment gateway entities the job's charges are spread over
 * @param paymentLatencyMs how long a gateway takes to answer a charge, in milliseconds
 * @param paymentFailureRate the share of orders whose payment is declined, in [0, 1]
 * @param seed the job's seed: orders and declines are functions of it
 */
public record Terms(
    int stock, int gateways, int paymentLatencyMs, double paymentFailureRate, long seed)
    implements TroupeMessage {

  /** Returns the gateway (from 0) that charges the given order. */
  int gatewayOf(int order) {
    return Math.floorMod(order, gateways);
  }
}
