/**
 * The orders pipeline: an e-commerce saga over sharded, event-sourced entities. An {@link
 * io.troupe.examples.orders.Order} reserves stock at its SKU's {@link
 * io.troupe.examples.orders.Inventory}, charges a {@link io.troupe.examples.orders.PaymentGateway}
 * and notifies the customer ({@link io.troupe.examples.orders.Notifier}); a declined payment
 * releases the reservation (compensation). Every step is idempotent by order number, so the saga
 * survives re-delivery and the crash of any node. The job's result checks the {@link
 * io.troupe.examples.orders.Invariants} against the entities' recorded events.
 */
package io.troupe.examples.orders;
