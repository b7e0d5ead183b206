package io.troupe.examples.wordcount;

import io.troupe.examples.wordcount.WordCountPipeline.ChunkRef;
import io.troupe.sdk.KeyedState;
import io.troupe.sdk.Task;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The wordcount worker of {@code --shuffle}: counts a chunk, splits the table by word hash into one
 * part per reducer shard, and sends each part to its shard's shard of the job's keyed state; the
 * item is answered once every shard has made its part durable. The item's own partial is empty: the
 * counts live in the reducers, spread over the nodes.
 *
 * <p>Implementation notes: the parts carry the item's id, so a retried item's parts are dropped by
 * the shards that already have them. While a chunk's parts are being acknowledged the worker may
 * already count its next chunk (the host gives it at most {@code max-in-flight-per-worker}).
 */
final class ShuffleWorker extends AbstractBehavior<Task<ChunkRef, WordTally>> {

  static Behavior<Task<ChunkRef, WordTally>> create(KeyedState state, int shards) {
    return Behaviors.setup(ctx -> new ShuffleWorker(ctx, state, shards));
  }

  private final KeyedState state;
  private final int shards;

  private ShuffleWorker(ActorContext<Task<ChunkRef, WordTally>> ctx, KeyedState state, int shards) {
    super(ctx);
    this.state = state;
    this.shards = shards;
  }

  @Override
  public Receive<Task<ChunkRef, WordTally>> createReceive() {
    return newReceiveBuilder().onAnyMessage(this::onTask).build();
  }

  private Behavior<Task<ChunkRef, WordTally>> onTask(Task<ChunkRef, WordTally> task)
      throws java.io.IOException {
    WordCounts counts = WordCountPipeline.count(task.payload());
    WordCounts[] parts = new WordCounts[shards];
    for (int i = 0; i < shards; i++) {
      parts[i] = new WordCounts();
    }
    counts.forEach((word, n) -> parts[KeyedState.shardOf(word, shards)].add(word, n));
    CompletableFuture<?>[] acks = new CompletableFuture<?>[shards];
    for (int i = 0; i < shards; i++) {
      acks[i] = state.add(i, task.item().id(), new WordTally(parts[i])).toCompletableFuture();
    }
    CompletableFuture.allOf(acks)
        .whenComplete(
            (done, error) -> {
              if (error == null) {
                task.complete(new WordTally(new WordCounts()));
              } else {
                task.fail(error);
              }
            });
    return this;
  }
}
