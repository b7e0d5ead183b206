package io.troupe.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.sdk.QuarantinedItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each invariant holds for a consistent tally and is reported false, with the job failed, for each
 * kind of violation a broken saga could leave behind.
 */
final class InvariantsTest {

  private final OrdersPipeline pipeline = new OrdersPipeline();

  /** 300 orders on 4 SKUs of 60 units: some completed, some compensated, some rejected. */
  private final OrdersPipeline.Options options =
      pipeline.parse(
          List.of(
              "--orders", "300", "--skus", "4", "--stock", "60", "--payment-failure-rate", "0.2"));

  private OrdersTally consistent() {
    return OrdersSequential.run(options);
  }

  private Invariants.Report check(OrdersTally tally) {
    return Invariants.check(tally, options.orders, options.skus, options.stock);
  }

  private OrdersTally.Decided first(OrdersTally tally, Order.Status status) {
    return tally.decided().stream().filter(d -> d.status() == status).findFirst().orElseThrow();
  }

  /** Replaces the audit of one SKU. */
  private static void withInventory(
      OrdersTally tally, int sku, UnaryOperator<Inventory.Audit> change) {
    tally.inventories().replaceAll(a -> a.sku() == sku ? change.apply(a) : a);
  }

  private static Map<String, Boolean> allTrueBut(String violated) {
    Map<String, Boolean> expected = new TreeMap<>();
    for (String name :
        List.of(
            Invariants.STOCK_NEVER_NEGATIVE,
            Invariants.STOCK_LEFT_MATCHES_COMPLETED,
            Invariants.COMPLETED_CHARGED_EXACTLY_ONCE,
            Invariants.COMPENSATED_RELEASED,
            Invariants.EVERY_ORDER_DECIDED)) {
      expected.put(name, !name.equals(violated));
    }
    return expected;
  }

  @Test
  void consistentTally_holdsEveryInvariant_andTheResultPrintsThem() {
    OrdersTally tally = consistent();

    JsonNode result = OrdersResult.of(tally, options, List.of());

    assertThat(check(tally).allHold()).isTrue();
    assertThat(result.get("completed").asLong()).isPositive();
    assertThat(result.get("compensated").asLong()).isPositive();
    assertThat(result.get("rejectedOutOfStock").asLong()).isPositive();
    assertThat(
            result.get("completed").asLong()
                + result.get("compensated").asLong()
                + result.get("rejectedOutOfStock").asLong())
        .isEqualTo(300);
    assertThat(result.get("invariants").size()).isEqualTo(5);
    result.get("invariants").forEach(v -> assertThat(v.asBoolean()).isTrue());
  }

  @Test
  void stockBelowZeroAtSomePoint_violatesStockNeverNegative() {
    OrdersTally tally = consistent();
    withInventory(
        tally,
        1,
        a ->
            new Inventory.Audit(
                a.sku(), a.initial(), a.available(), -2, a.committed(), a.released(), List.of()));

    Invariants.Report report = check(tally);

    assertThat(new TreeMap<>(report.holds()))
        .isEqualTo(allTrueBut(Invariants.STOCK_NEVER_NEGATIVE));
    assertThat(report.describe()).isEqualTo("stockNeverNegative (sku-1 went down to -2)");
  }

  @Test
  void stockLeftOffByAUnit_violatesStockLeftMatchesCompleted() {
    OrdersTally tally = consistent();
    // One unit more than the completed orders left: a sale that was never recorded.
    int sku = first(tally, Order.Status.COMPLETED).sku();
    withInventory(
        tally,
        sku,
        a ->
            new Inventory.Audit(
                a.sku(),
                a.initial(),
                a.available() + 1,
                a.minAvailable(),
                a.committed(),
                a.released(),
                List.of()));

    Invariants.Report report = check(tally);

    assertThat(new TreeMap<>(report.holds()))
        .isEqualTo(allTrueBut(Invariants.STOCK_LEFT_MATCHES_COMPLETED));
    assertThat(report.describe()).startsWith("stockLeftMatchesCompleted (sku-" + sku + " has ");
  }

  @Test
  void doubleCharge_violatesCompletedChargedExactlyOnce() {
    OrdersTally tally = consistent();
    int order = first(tally, Order.Status.COMPLETED).order();
    charge(tally, order, 2);

    Invariants.Report report = check(tally);

    assertThat(new TreeMap<>(report.holds()))
        .isEqualTo(allTrueBut(Invariants.COMPLETED_CHARGED_EXACTLY_ONCE));
    assertThat(report.describe())
        .isEqualTo(
            "completedChargedExactlyOnce (order " + order + " (COMPLETED) was charged 2 time(s))");
  }

  @Test
  void chargedCompensatedOrder_andMissingCharge_violateCompletedChargedExactlyOnce() {
    OrdersTally tally = consistent();
    int compensated = first(tally, Order.Status.COMPENSATED).order();
    int completed = first(tally, Order.Status.COMPLETED).order();
    charge(tally, compensated, 1);
    charge(tally, completed, 0);

    assertThat(check(tally).holds().get(Invariants.COMPLETED_CHARGED_EXACTLY_ONCE)).isFalse();
    assertThat(check(tally).describe())
        .contains("order " + compensated + " (COMPENSATED) was charged 1 time(s)")
        .contains("order " + completed + " (COMPLETED) was charged 0 time(s)");
  }

  @Test
  void unreleasedCompensation_violatesCompensatedReleased() {
    OrdersTally tally = consistent();
    OrdersTally.Decided d = first(tally, Order.Status.COMPENSATED);
    withInventory(
        tally,
        d.sku(),
        a -> {
          List<Integer> released = new ArrayList<>(a.released());
          released.remove(Integer.valueOf(d.order()));
          return new Inventory.Audit(
              a.sku(),
              a.initial(),
              a.available(),
              a.minAvailable(),
              a.committed(),
              released,
              List.of());
        });

    Invariants.Report report = check(tally);

    assertThat(new TreeMap<>(report.holds()))
        .isEqualTo(allTrueBut(Invariants.COMPENSATED_RELEASED));
    assertThat(report.describe()).contains("order " + d.order() + "'s reservation");
  }

  @Test
  void lostOrDuplicatedOrder_violatesEveryOrderDecided() {
    OrdersTally lost = consistent();
    OrdersTally.Decided rejected = first(lost, Order.Status.REJECTED_OUT_OF_STOCK);
    lost.decided().remove(rejected);
    OrdersTally twice = consistent();
    twice.decided().add(first(twice, Order.Status.REJECTED_OUT_OF_STOCK));

    assertThat(new TreeMap<>(check(lost).holds()))
        .isEqualTo(allTrueBut(Invariants.EVERY_ORDER_DECIDED));
    assertThat(check(lost).describe()).contains("1 of 300 order(s) never ended");
    assertThat(check(twice).describe()).contains("ended twice");
  }

  @Test
  void violation_failsTheResultStep_namingTheInvariantAndAnyQuarantinedBatch() {
    OrdersTally tally = consistent();
    charge(tally, first(tally, Order.Status.COMPLETED).order(), 2);

    assertThatThrownBy(
            () ->
                OrdersResult.of(
                    tally, options, List.of(new QuarantinedItem("orders-2", "boom: it broke"))))
        .isInstanceOf(InvariantViolation.class)
        .hasMessageStartingWith("orders: invariant violated: completedChargedExactlyOnce (")
        .hasMessageContaining("\"completedChargedExactlyOnce\":false")
        .hasMessageContaining("1 batch(es) were quarantined, first orders-2: boom: it broke");
  }

  /** Sets how many charge events the gateways hold for an order. */
  private void charge(OrdersTally tally, int order, int times) {
    int g = options.terms().gatewayOf(order);
    tally
        .payments()
        .replaceAll(
            a -> {
              if (a.gateway() != g) {
                return a;
              }
              Map<Integer, Integer> charges = new TreeMap<>(a.charges());
              if (times == 0) {
                charges.remove(order);
              } else {
                charges.put(order, times);
              }
              return new PaymentGateway.Audit(a.gateway(), charges, a.declined(), a.chargedCents());
            });
  }
}
