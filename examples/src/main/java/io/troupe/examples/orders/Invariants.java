package io.troupe.examples.orders;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The invariants of an orders job, checked against what the entities recorded: the inventories' and
 * gateways' audits (rebuilt from their journals) and the outcome of every order.
 *
 * <ul>
 *   <li>{@code stockNeverNegative}: no SKU's available stock was ever below zero.
 *   <li>{@code stockLeftMatchesCompleted}: every SKU's stock left is its initial stock minus the
 *       units of its completed orders (no lost or leaked reservation).
 *   <li>{@code completedChargedExactlyOnce}: every completed order has exactly one charge in the
 *       gateways' journals, and no other order has any.
 *   <li>{@code compensatedReleased}: every compensated order's reservation was released.
 *   <li>{@code everyOrderDecided}: every order of the job ended exactly once (none lost).
 * </ul>
 */
final class Invariants {

  static final String STOCK_NEVER_NEGATIVE = "stockNeverNegative";
  static final String STOCK_LEFT_MATCHES_COMPLETED = "stockLeftMatchesCompleted";
  static final String COMPLETED_CHARGED_EXACTLY_ONCE = "completedChargedExactlyOnce";
  static final String COMPENSATED_RELEASED = "compensatedReleased";
  static final String EVERY_ORDER_DECIDED = "everyOrderDecided";

  /** Examples kept per violated invariant, so a message stays one readable line. */
  private static final int EXAMPLES = 3;

  private Invariants() {}

  /**
   * What the check found.
   *
   * @param holds per invariant, in the order of the list above, whether it holds
   * @param violations per violated invariant, up to three examples and how many more there were
   */
  record Report(Map<String, Boolean> holds, Map<String, List<String>> violations) {

    /** Returns true if every invariant holds. */
    boolean allHold() {
      return violations.isEmpty();
    }

    /** Describes the violations in one line, e.g. for an exception message. */
    String describe() {
      List<String> parts = new ArrayList<>();
      violations.forEach(
          (name, examples) -> parts.add(name + " (" + String.join("; ", examples) + ")"));
      return String.join(", ", parts);
    }
  }

  /**
   * Checks a job's tally.
   *
   * @param tally the merged tally, with every inventory's and gateway's audit
   * @param orders how many orders the job placed
   * @param skus how many SKUs there are
   * @param stock every SKU's initial stock
   * @return the report
   */
  static Report check(OrdersTally tally, int orders, int skus, int stock) {
    Checker c = new Checker();

    Map<Integer, OrdersTally.Decided> byOrder = new TreeMap<>();
    for (OrdersTally.Decided d : tally.decided()) {
      if (d.order() < 0 || d.order() >= orders) {
        c.fail(EVERY_ORDER_DECIDED, "order " + d.order() + " is not one of the job's");
      } else if (byOrder.putIfAbsent(d.order(), d) != null) {
        c.fail(EVERY_ORDER_DECIDED, "order " + d.order() + " ended twice");
      }
    }
    if (byOrder.size() < orders) {
      c.fail(
          EVERY_ORDER_DECIDED,
          (orders - byOrder.size()) + " of " + orders + " order(s) never ended");
    }

    Map<Integer, Inventory.Audit> inventories = new HashMap<>();
    for (Inventory.Audit a : tally.inventories()) {
      if (inventories.putIfAbsent(a.sku(), a) != null) {
        c.fail(STOCK_LEFT_MATCHES_COMPLETED, "sku-" + a.sku() + " was audited twice");
      }
    }
    long[] soldUnits = new long[skus];
    for (OrdersTally.Decided d : byOrder.values()) {
      if (d.status() == Order.Status.COMPLETED && d.sku() >= 0 && d.sku() < skus) {
        soldUnits[d.sku()] += d.units();
      }
    }
    for (int sku = 0; sku < skus; sku++) {
      Inventory.Audit a = inventories.get(sku);
      if (a == null) {
        c.fail(STOCK_LEFT_MATCHES_COMPLETED, "sku-" + sku + " has no audit");
        continue;
      }
      if (a.minAvailable() < 0 || a.available() < 0) {
        c.fail(
            STOCK_NEVER_NEGATIVE,
            "sku-" + sku + " went down to " + Math.min(a.minAvailable(), a.available()));
      }
      long expected = stock - soldUnits[sku];
      if (a.initial() != stock || a.available() != expected) {
        c.fail(
            STOCK_LEFT_MATCHES_COMPLETED,
            "sku-"
                + sku
                + " has "
                + a.available()
                + " left of "
                + a.initial()
                + ", expected "
                + expected
                + " = "
                + stock
                + " - "
                + soldUnits[sku]
                + " sold");
      }
    }

    Map<Integer, Integer> charges = new TreeMap<>();
    for (PaymentGateway.Audit a : tally.payments()) {
      a.charges().forEach((order, n) -> charges.merge(order, n, Integer::sum));
    }
    for (OrdersTally.Decided d : byOrder.values()) {
      int n = charges.getOrDefault(d.order(), 0);
      int wanted = d.status() == Order.Status.COMPLETED ? 1 : 0;
      if (n != wanted) {
        c.fail(
            COMPLETED_CHARGED_EXACTLY_ONCE,
            "order " + d.order() + " (" + d.status() + ") was charged " + n + " time(s)");
      }
    }
    for (Integer order : charges.keySet()) {
      if (!byOrder.containsKey(order)) {
        c.fail(COMPLETED_CHARGED_EXACTLY_ONCE, "order " + order + " was charged but never ended");
      }
    }

    for (OrdersTally.Decided d : byOrder.values()) {
      if (d.status() == Order.Status.COMPENSATED) {
        Inventory.Audit a = inventories.get(d.sku());
        Set<Integer> released = a == null ? Set.of() : new HashSet<>(a.released());
        if (!released.contains(d.order())) {
          c.fail(
              COMPENSATED_RELEASED,
              "order " + d.order() + "'s reservation at sku-" + d.sku() + " was not released");
        }
      }
    }
    return c.report();
  }

  /** Collects violations, a few examples per invariant. */
  private static final class Checker {
    private final Map<String, List<String>> examples = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();

    void fail(String invariant, String example) {
      int n = counts.merge(invariant, 1, Integer::sum);
      if (n <= EXAMPLES) {
        examples.computeIfAbsent(invariant, k -> new ArrayList<>()).add(example);
      }
    }

    Report report() {
      Map<String, Boolean> holds = new LinkedHashMap<>();
      Map<String, List<String>> violations = new LinkedHashMap<>();
      for (String name :
          List.of(
              STOCK_NEVER_NEGATIVE,
              STOCK_LEFT_MATCHES_COMPLETED,
              COMPLETED_CHARGED_EXACTLY_ONCE,
              COMPENSATED_RELEASED,
              EVERY_ORDER_DECIDED)) {
        holds.put(name, !counts.containsKey(name));
        if (counts.containsKey(name)) {
          List<String> list = new ArrayList<>(examples.get(name));
          int more = counts.get(name) - list.size();
          if (more > 0) {
            list.add("and " + more + " more");
          }
          violations.put(name, List.copyOf(list));
        }
      }
      return new Report(holds, violations);
    }
  }
}
