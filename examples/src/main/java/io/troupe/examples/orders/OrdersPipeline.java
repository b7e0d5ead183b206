package io.troupe.examples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.sdk.Combiner;
import io.troupe.sdk.ItemPlan;
import io.troupe.sdk.JobContext;
import io.troupe.sdk.Pipeline;
import io.troupe.sdk.PipelineOptions;
import io.troupe.sdk.QuarantinedItem;
import io.troupe.sdk.Task;
import io.troupe.sdk.TroupeMessage;
import io.troupe.sdk.WorkItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import picocli.CommandLine.Option;

/**
 * An e-commerce saga over sharded, event-sourced entities: each {@link Order} reserves stock at its
 * SKU's {@link Inventory}, charges a {@link PaymentGateway} (with latency and a failure rate), and
 * notifies the customer; a declined payment releases the reservation. Work items are batches of
 * orders; a worker places a batch's orders at once and answers with how each ended. The job's last
 * step audits every inventory and gateway, and the result checks the {@link Invariants}; a
 * violation fails the job.
 */
public final class OrdersPipeline
    implements Pipeline<OrdersPipeline.Options, OrdersPipeline.OrderBatch, OrdersTally> {

  /**
   * Shards per entity type (orders, inventories, gateways), the same on every node. Each shard
   * costs a coordinated allocation when first used (and again after its node leaves), which on this
   * runtime takes some milliseconds each; 100 shards spread a job evenly over tens of nodes while
   * Pekko's default of 1000 made a fresh node spend seconds allocating order shards.
   */
  static final int SHARDS = 100;

  /** How long the last step waits for an entity's audit. */
  private static final Duration AUDIT_TIMEOUT = Duration.ofSeconds(30);

  /** The options of orders. */
  public static final class Options {
    @Option(names = "--orders", paramLabel = "N", description = "Orders to place (default 1000).")
    int orders = 1000;

    @Option(names = "--skus", paramLabel = "K", description = "Distinct SKUs (default 20).")
    int skus = 20;

    @Option(
        names = "--stock",
        paramLabel = "Q",
        description = "Initial stock of every SKU, in units (default 100).")
    int stock = 100;

    @Option(
        names = "--payment-failure-rate",
        paramLabel = "P",
        description = "Share of payments declined, 0 to 1 (default 0.05).")
    double paymentFailureRate = 0.05;

    @Option(
        names = "--payment-latency-ms",
        paramLabel = "MS",
        description = "How long a payment takes, in milliseconds (default 10).")
    int paymentLatencyMs = 10;

    @Option(
        names = "--seed",
        paramLabel = "S",
        description = "Seed of the orders and of the declines (default 42).")
    long seed = 42;

    @Option(
        names = "--batch",
        paramLabel = "N",
        description = "Orders per work item (default 100).")
    int batch = 100;

    @Option(
        names = "--gateways",
        paramLabel = "N",
        description = "Payment gateway entities the charges are spread over (default 8).")
    int gateways = 8;

    /** Returns the terms the job's entities need. */
    Terms terms() {
      return new Terms(stock, gateways, paymentLatencyMs, paymentFailureRate, seed);
    }
  }

  /**
   * A work item: a range of orders.
   *
   * @param first the first order's number
   * @param count how many orders
   */
  public record OrderBatch(int first, int count) implements TroupeMessage {}

  @Override
  public String name() {
    return "orders";
  }

  @Override
  public String description() {
    return "e-commerce saga over sharded, event-sourced orders, inventory and payments;"
        + " checks its invariants";
  }

  @Override
  public Options newOptions() {
    return new Options();
  }

  @Override
  public String usage() {
    return PipelineOptions.usage(this)
        + "  With ample stock (no SKU runs short; --stock >= 3 x --orders always is) the result"
        + " equals --sequential. With scarce stock, which orders get a SKU's last units depends on"
        + " timing, so the counts may differ between runs and from --sequential; the invariants"
        + " hold either way.\n";
  }

  @Override
  public void validate(Options o) {
    PipelineOptions.require(
        o.orders >= 0 && o.orders <= 1_000_000,
        "--orders must be between 0 and 1000000, was " + o.orders);
    PipelineOptions.require(
        o.skus >= 1 && o.skus <= 10_000, "--skus must be between 1 and 10000, was " + o.skus);
    PipelineOptions.require(o.stock >= 0, "--stock must not be negative, was " + o.stock);
    PipelineOptions.require(
        o.paymentFailureRate >= 0 && o.paymentFailureRate <= 1,
        "--payment-failure-rate must be between 0 and 1, was " + o.paymentFailureRate);
    PipelineOptions.require(
        o.paymentLatencyMs >= 0 && o.paymentLatencyMs <= 60_000,
        "--payment-latency-ms must be between 0 and 60000, was " + o.paymentLatencyMs);
    PipelineOptions.require(
        o.batch >= 1 && o.batch <= 10_000, "--batch must be between 1 and 10000, was " + o.batch);
    PipelineOptions.require(
        o.gateways >= 1 && o.gateways <= 1024,
        "--gateways must be between 1 and 1024, was " + o.gateways);
  }

  @Override
  public long planSize(Options o) {
    return ((long) o.orders + o.batch - 1) / o.batch;
  }

  @Override
  public ItemPlan<OrderBatch> itemPlan(Options o) { // batch i: orders i * batch and on
    int orders = o.orders;
    int batch = o.batch;
    return ItemPlan.indexed(
        (int) planSize(o),
        i -> {
          int first = i * batch;
          return WorkItem.of(
              "orders-" + i, "place", new OrderBatch(first, Math.min(batch, orders - first)));
        });
  }

  @Override
  public Behavior<Task<OrderBatch, OrdersTally>> worker(JobContext<Options> job) {
    return OrdersWorker.create(job.options(), job.jobId());
  }

  @Override
  public void start(ActorSystem<?> system) {
    ActorRef<Notifier.Notify> notifier =
        system.systemActorOf(Notifier.create(), "orders-notifier", Props.empty());
    Inventory.init(system);
    PaymentGateway.init(system);
    Order.init(system, notifier);
  }

  @Override
  public Optional<CompletionStage<OrdersTally>> finish(JobContext<Options> context) {
    // Every inventory and gateway of the job, read back from the entities (and so from their
    // journals, wherever they were re-created): what the invariants are checked against.
    Options o = context.options();
    String job = context.jobId();
    return Optional.of(audit(ClusterSharding.get(context.system()), o, job));
  }

  private static CompletionStage<OrdersTally> audit(
      ClusterSharding sharding, Options o, String job) {
    List<CompletableFuture<Inventory.Audit>> inventories = new ArrayList<>();
    for (int sku = 0; sku < o.skus; sku++) {
      inventories.add(
          sharding
              .entityRefFor(Inventory.TYPE_KEY, Inventory.entityId(job, sku))
              .ask(
                  (ActorRef<Inventory.Audit> replyTo) -> new Inventory.GetAudit(o.stock, replyTo),
                  AUDIT_TIMEOUT)
              .toCompletableFuture());
    }
    List<CompletableFuture<PaymentGateway.Audit>> payments = new ArrayList<>();
    for (int g = 0; g < o.gateways; g++) {
      payments.add(
          sharding
              .entityRefFor(PaymentGateway.TYPE_KEY, PaymentGateway.entityId(job, g))
              .ask(PaymentGateway.GetAudit::new, AUDIT_TIMEOUT)
              .toCompletableFuture());
    }
    List<CompletableFuture<?>> all = new ArrayList<>(inventories);
    all.addAll(payments);
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(
            done ->
                new OrdersTally(
                    new ArrayList<>(),
                    new ArrayList<>(inventories.stream().map(CompletableFuture::join).toList()),
                    new ArrayList<>(payments.stream().map(CompletableFuture::join).toList())));
  }

  @Override
  public Combiner<OrdersTally> combiner(Options o) {
    return new Combiner<>() {
      @Override
      public OrdersTally zero() {
        return OrdersTally.empty();
      }

      @Override
      public OrdersTally merge(OrdersTally accumulator, OrdersTally partial) {
        return accumulator.add(partial);
      }

      @Override
      public OrdersTally copy(OrdersTally accumulator) {
        return accumulator.copy();
      }

      @Override
      public Object result(OrdersTally accumulator, List<QuarantinedItem> quarantined) {
        return OrdersResult.of(accumulator, o, quarantined);
      }
    };
  }

  @Override
  public Optional<JsonNode> sequential(Options o) {
    return Optional.of(OrdersResult.of(OrdersSequential.run(o), o, List.of()));
  }
}
