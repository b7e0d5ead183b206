package io.troupe.examples.orders;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Where an {@link Order} sends its steps: its job's sharded entities on a node, probes in a test.
 */
interface OrderPeers {

  /** Returns the inventory of a SKU. */
  RecipientRef<Inventory.Command> inventory(int sku);

  /** Returns a payment gateway. */
  RecipientRef<PaymentGateway.Command> gateway(int gateway);

  /** Returns the notifier. */
  RecipientRef<Notifier.Notify> notifier();

  /**
   * Returns the peers of a job's orders on a node: its inventories and gateways through sharding,
   * wherever they live, and the node's own notifier.
   *
   * @param system the node's actor system
   * @param job the job's id
   * @param notifier the node's notifier
   * @return the peers
   */
  static OrderPeers sharded(ActorSystem<?> system, String job, ActorRef<Notifier.Notify> notifier) {
    ClusterSharding sharding = ClusterSharding.get(system);
    return new OrderPeers() {
      @Override
      public RecipientRef<Inventory.Command> inventory(int sku) {
        return sharding.entityRefFor(Inventory.TYPE_KEY, Inventory.entityId(job, sku));
      }

      @Override
      public RecipientRef<PaymentGateway.Command> gateway(int gateway) {
        return sharding.entityRefFor(
            PaymentGateway.TYPE_KEY, PaymentGateway.entityId(job, gateway));
      }

      @Override
      public RecipientRef<Notifier.Notify> notifier() {
        return notifier;
      }
    };
  }
}
