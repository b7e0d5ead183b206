package io.troupe.examples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.cluster.internal.Pipelines;
import io.troupe.sdk.PipelineUsageException;
import io.troupe.sdk.WorkItem;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Options, planning and the sequential reference of the orders pipeline. */
final class OrdersPipelineTest {

  private final OrdersPipeline pipeline = new OrdersPipeline();

  private OrdersPipeline.Options options(String... args) {
    return pipeline.parse(List.of(args));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--orders | -1 | --orders must be between 0 and 1000000, was -1",
        "--skus | 0 | --skus must be between 1 and 10000, was 0",
        "--stock | -5 | --stock must not be negative, was -5",
        "--payment-failure-rate | 1.5 | --payment-failure-rate must be between 0 and 1, was 1.5",
        "--payment-failure-rate | -0.1 | --payment-failure-rate must be between 0 and 1, was -0.1",
        "--payment-failure-rate | NaN | --payment-failure-rate must be between 0 and 1, was NaN",
        "--payment-latency-ms | -1 | --payment-latency-ms must be between 0 and 60000, was -1",
        "--batch | 0 | --batch must be between 1 and 10000, was 0",
        "--gateways | 0 | --gateways must be between 1 and 1024, was 0"
      })
  void parse_withAValueOutOfRange_saysWhatIsAllowed(String flag, String value, String message) {
    assertThatThrownBy(() -> options(flag, value))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessage("orders: " + message);
  }

  @Test
  void parse_withANonNumberOrAnUnknownFlag_failsWithOneLine() {
    assertThatThrownBy(() -> options("--orders", "many"))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageStartingWith("orders: ")
        .hasMessageContaining("--orders")
        .hasMessageContaining("'many'")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> options("--payment-failure-rate", "ten percent"))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageContaining("--payment-failure-rate");
    assertThatThrownBy(() -> options("--bogus", "1"))
        .isInstanceOf(PipelineUsageException.class)
        .hasMessageContaining("--bogus");
  }

  @Test
  void pipeline_isFoundByName_andDocumentsEveryOption() {
    assertThat(Pipelines.load().find("orders")).isPresent();
    assertThat(pipeline.usage())
        .contains("--orders", "--skus", "--stock", "--payment-failure-rate", "--seed")
        .contains("--payment-latency-ms", "--batch", "--gateways", "--sequential");
  }

  @Test
  void plan_cutsTheOrdersIntoBatchesWithDeterministicIds() {
    List<WorkItem<OrdersPipeline.OrderBatch>> items =
        pipeline.itemPlan(options("--orders", "250", "--batch", "100")).toList();

    assertThat(items).extracting(WorkItem::id).containsExactly("orders-0", "orders-1", "orders-2");
    assertThat(items)
        .extracting(WorkItem::payload)
        .containsExactly(
            new OrdersPipeline.OrderBatch(0, 100),
            new OrdersPipeline.OrderBatch(100, 100),
            new OrdersPipeline.OrderBatch(200, 50));
    assertThat(pipeline.itemPlan(options("--orders", "0")).toList()).isEmpty();
  }

  @Test
  void catalog_isAFunctionOfSeedAndOrder_andDeclinesAboutTheRate() {
    assertThat(Catalog.line(7, 123, 20)).isEqualTo(Catalog.line(7, 123, 20));
    assertThat(Catalog.line(7, 123, 20)).isNotEqualTo(Catalog.line(8, 123, 20));
    int declined = 0;
    int[] perSku = new int[5];
    for (int order = 0; order < 20_000; order++) {
      OrderLine line = Catalog.line(1, order, 5);
      assertThat(line.units()).isBetween(1, Catalog.MAX_UNITS);
      perSku[line.sku()]++;
      if (Catalog.declined(1, order, 0.1)) {
        declined++;
      }
    }
    assertThat(declined).isBetween(1_800, 2_200);
    assertThat(java.util.Arrays.stream(perSku).boxed().toList())
        .allSatisfy(n -> assertThat(n).isBetween(3_700, 4_300));
    assertThat(Catalog.declined(1, 5, 0.0)).isFalse();
    assertThat(Catalog.declined(1, 5, 1.0)).isTrue();
  }

  @Test
  void sequential_withAmpleStock_rejectsNothing_andDeclinesAreCompensated() {
    JsonNode r =
        pipeline
            .sequential(
                options("--orders", "2000", "--stock", "100000", "--payment-failure-rate", "0.1"))
            .orElseThrow();

    assertThat(r.get("rejectedOutOfStock").asLong()).isZero();
    assertThat(r.get("compensated").asLong()).isBetween(150L, 250L);
    assertThat(r.get("completed").asLong() + r.get("compensated").asLong()).isEqualTo(2000);
    assertThat(r.get("stockLeft").size()).isEqualTo(20);
  }

  @Test
  void sequential_withScarceStock_sellsOutAndKeepsTheInvariants() {
    JsonNode r = pipeline.sequential(options("--orders", "2000", "--stock", "50")).orElseThrow();

    assertThat(r.get("rejectedOutOfStock").asLong()).isGreaterThan(1000);
    r.get("stockLeft").forEach(left -> assertThat(left.asLong()).isBetween(0L, 2L));
    r.get("invariants").forEach(holds -> assertThat(holds.asBoolean()).isTrue());
  }
}
