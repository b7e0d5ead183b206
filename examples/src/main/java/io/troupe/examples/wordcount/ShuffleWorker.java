package io.troupe.examples.wordcount;

import io.troupe.actors.Work;
import io.troupe.cluster.ItemResult;
import io.troupe.cluster.Reducers;
import io.troupe.persistence.WorkItem;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The wordcount worker of {@code --shuffle}: counts a chunk, splits the table by word hash into one
 * part per reducer shard, and sends each part to its shard's {@link
 * io.troupe.cluster.KeyedReducer}; the item is answered once every shard has made its part durable.
 * The item's own partial is empty: the counts live in the reducers, spread over the nodes.
 *
 * <p>Implementation notes: the parts carry the item's id, so a retried item's parts are dropped by
 * the shards that already have them. While a chunk's parts are being acknowledged the worker may
 * already count its next chunk (the host gives it at most {@code max-in-flight-per-worker}).
 */
final class ShuffleWorker extends AbstractBehavior<Work<WorkItem, ItemResult>> {

  static Behavior<Work<WorkItem, ItemResult>> create(String pipeline, String job, int shards) {
    return Behaviors.setup(ctx -> new ShuffleWorker(ctx, pipeline, job, shards));
  }

  private final String pipeline;
  private final String job;
  private final int shards;
  private final Reducers reducers;

  private ShuffleWorker(
      ActorContext<Work<WorkItem, ItemResult>> ctx, String pipeline, String job, int shards) {
    super(ctx);
    this.pipeline = pipeline;
    this.job = job;
    this.shards = shards;
    this.reducers = new Reducers(ctx.getSystem(), Duration.ofSeconds(30));
  }

  @Override
  public Receive<Work<WorkItem, ItemResult>> createReceive() {
    return newReceiveBuilder().onAnyMessage(this::onWork).build();
  }

  private Behavior<Work<WorkItem, ItemResult>> onWork(Work<WorkItem, ItemResult> work) {
    WordCounts counts = WordCountPipeline.count(work.item());
    WordCounts[] parts = new WordCounts[shards];
    for (int i = 0; i < shards; i++) {
      parts[i] = new WordCounts();
    }
    counts.forEach((word, n) -> parts[Reducers.shardOf(word, shards)].add(word, n));
    CompletableFuture<?>[] acks = new CompletableFuture<?>[shards];
    for (int i = 0; i < shards; i++) {
      acks[i] =
          reducers
              .add(pipeline, job, i, work.item().id(), new WordTally(parts[i]))
              .toCompletableFuture();
    }
    CompletableFuture.allOf(acks)
        .whenComplete(
            (done, error) -> {
              if (error == null) {
                work.reply(ItemResult.of(new WordTally(new WordCounts())));
              } else {
                work.fail(error);
              }
            });
    return this;
  }
}
